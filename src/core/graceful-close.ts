import type { Server } from 'node:http';
import { setImmediate } from 'node:timers';

/** A request a server is answering; `answered` once its answer is written (by its handler or by a stop). */
export interface Answerable {
  answered: boolean;
}

/** The requests a server holds open; one leaves once its answer has left (or its connection is gone). */
export class OpenRequests<T extends Answerable> {
  private readonly open = new Set<T>();
  private waiters: (() => void)[] = [];

  add(x: T): void {
    this.open.add(x);
  }

  leave(x: T): void {
    this.open.delete(x);
    if (this.open.size === 0) for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** those whose answer is not written yet: what a stop must answer itself */
  unanswered(): T[] {
    return [...this.open].filter((x) => !x.answered);
  }

  /** those still open that came after `x` (a client pipelining requests on one connection) */
  after(x: T): T[] {
    const all = [...this.open];
    return all.slice(all.indexOf(x) + 1);
  }

  /** resolves once no request is open */
  idle(): Promise<void> {
    return this.open.size === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** What a graceful stop did with the requests in flight. */
export interface StopSummary {
  /** requests not yet answered when the stop began */
  inFlight: number;
  /** of those, answered by the server itself (a 503) at the drain's deadline or a second stop */
  cut: number;
  /** requests that arrived while draining (on a connection already open), answered 503 */
  refused: number;
}

export interface DrainSteps<T> {
  /** how long the requests in flight may take to finish */
  drainMs: number;
  /** ends the drain at once with its reason (a second Ctrl-C) */
  cutNow?: Promise<string>;
  /** the stop begins: from here every request that arrives is answered 503 */
  begin(): void;
  /** answers one request still in flight with the server's own 503 and records it */
  cut(x: T, why: string): void;
  /** every answer written: close the record */
  end(): void;
}

/**
 * A graceful stop: no new connection is accepted and idle ones are closed; the requests in flight finish until
 * `drainMs` passes or `cutNow` settles; those still unanswered then get the server's own 503 (each recorded); the
 * connections left are closed once those answers are written, and the record last. The deadline's timer does not keep
 * the process alive.
 */
export async function drainAndClose<T extends Answerable>(
  server: Server,
  open: OpenRequests<T>,
  steps: DrainSteps<T>,
): Promise<StopSummary> {
  steps.begin();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const inFlight = open.unanswered().length;
  let refused = 0;
  server.on('request', () => {
    refused += 1;
  });
  const cutWhy = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => done(`the ${seconds(steps.drainMs)} drain deadline passed`), steps.drainMs);
    timer.unref?.();
    const done = (why: string | undefined) => {
      clearTimeout(timer);
      resolve(why);
    };
    open.idle().then(() => done(undefined));
    steps.cutNow?.then(done);
  });
  const cut = cutWhy === undefined ? [] : open.unanswered();
  for (const x of cut) steps.cut(x, cutWhy!);
  // the answers just written leave in this turn's writes; a connection still open after them is closed
  await new Promise<void>((resolve) => setImmediate(resolve));
  server.closeAllConnections();
  await closed;
  steps.end();
  return { inFlight, cut: cut.length, refused };
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(3))} s`;
