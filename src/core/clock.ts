/**
 * Time as a dependency. Retry delays, task progress and link expiry all read a Clock, so tests run in
 * virtual time: a VirtualClock never sleeps, it records what was asked and moves only when told.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class VirtualClock implements Clock {
  private current: number;
  private waiters: { at: number; resolve: () => void }[] = [];
  /** Every sleep requested, in order: what a retry test compares with the documented backoff. */
  readonly sleeps: number[] = [];
  /** When true, sleep() advances time itself and resolves at once (a client under test never waits). */
  readonly autoAdvance: boolean;

  constructor(start = Date.UTC(2026, 0, 1), options: { autoAdvance?: boolean } = {}) {
    this.current = start;
    this.autoAdvance = options.autoAdvance ?? false;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    if (this.autoAdvance) {
      this.advance(ms);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiters.push({ at: this.current + ms, resolve });
      this.release();
    });
  }

  advance(ms: number): void {
    this.current += ms;
    this.release();
  }

  private release(): void {
    const due = this.waiters.filter((w) => w.at <= this.current);
    this.waiters = this.waiters.filter((w) => w.at > this.current);
    for (const w of due) w.resolve();
  }
}
