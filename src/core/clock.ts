/**
 * Time as a dependency. Retry delays, task progress and link expiry all read a Clock, so tests run in
 * virtual time: a VirtualClock never sleeps, it records what was asked and moves only when told.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (its timer or waiter is then dropped: nothing is left). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
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

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (this.autoAdvance) {
      this.advance(ms);
      return Promise.resolve();
    }
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        at: this.current + ms,
        resolve: () => {
          signal?.removeEventListener('abort', drop);
          resolve();
        },
      };
      const drop = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      };
      signal?.addEventListener('abort', drop, { once: true });
      this.waiters.push(waiter);
      this.release();
    });
  }

  /** Sleeps not yet over (a bounded scheduler keeps this bounded). */
  get waiting(): number {
    return this.waiters.length;
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
