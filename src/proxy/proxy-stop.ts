import type { Server } from 'node:http';
import { setImmediate } from 'node:timers';
import type { OpenExchange, OpenExchanges } from './open-exchanges.ts';
import type { StopSummary } from './proxy-server.ts';

export interface DrainSteps {
  /** how long the requests in flight may take to finish */
  drainMs: number;
  /** ends the drain at once with its reason (a second Ctrl-C) */
  now?: Promise<string>;
  /** the stop begins: from here every request that arrives is answered 503 */
  begin(why: string): void;
  /** answers one request still in flight with the proxy's 503 and records it */
  cut(x: OpenExchange, why: string): void;
  /** every answer written: close the record */
  end(): void;
}

/**
 * A graceful stop: no new connection is accepted and idle ones are closed; the requests in flight finish until
 * `drainMs` passes or `now` settles; those still unanswered then get the proxy's 503 (each recorded); the connections
 * left are closed once those answers are written, and the record last. The deadline is a timer that does not keep the
 * process alive.
 */
export async function drainAndClose(server: Server, open: OpenExchanges, steps: DrainSteps): Promise<StopSummary> {
  steps.begin('the proxy is stopping');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const inFlight = open.unanswered().length;
  let refused = 0;
  server.on('request', () => {
    refused += 1;
  });
  const cutWhy = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(`the ${seconds(steps.drainMs)} drain deadline passed`), steps.drainMs);
    timer.unref?.();
    const done = (why: string | undefined) => {
      clearTimeout(timer);
      resolve(why);
    };
    open.idle().then(() => done(undefined));
    steps.now?.then(done);
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
