import { cutOnSecondSignal, nextSignal, STOP_SIGNALS, type SignalSource } from '../core/stop-signals.ts';
import type { StopSummary } from '../core/graceful-close.ts';
import type { RunningProxy } from './proxy-server.ts';

/**
 * Serves until a stop signal (or a limit the proxy reaches itself), then stops gracefully: the requests in flight get
 * the drain to finish, and a second signal ends the drain at once (the proxy answers them 503, records them, closes
 * the record). `onStopping` is told why and how many requests are in flight as the drain begins.
 */
export async function serveUntilStopped(
  proxy: RunningProxy,
  onStopping: (why: string, inFlight: number) => void,
  source: SignalSource = process,
  signals: readonly string[] = STOP_SIGNALS,
  onHeld?: (signal: string) => void,
): Promise<{ why: string; summary: StopSummary }> {
  const first = nextSignal(source, signals);
  const why = await Promise.race([first.arrived, proxy.stopped]);
  first.cancel();
  // after the second signal the stop ends at once; one more waits for the record and the reports (the caller writes
  // them in the same turn this returns in), never the default action that would end the proxy without them
  const stop = cutOnSecondSignal(source, signals, onHeld);
  const closing = proxy.close(stop.cutNow);
  onStopping(why, proxy.inFlight());
  try {
    return { why, summary: await closing };
  } finally {
    stop.done();
  }
}
