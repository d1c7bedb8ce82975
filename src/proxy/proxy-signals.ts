import { nextSignal, STOP_SIGNALS, type SignalSource } from '../core/stop-signals.ts';
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
): Promise<{ why: string; summary: StopSummary }> {
  const first = nextSignal(source, signals);
  const why = await Promise.race([first.arrived, proxy.stopped]);
  first.cancel();
  const second = nextSignal(source, signals);
  const closing = proxy.close(second.arrived.then((signal) => `a second ${signal}`));
  onStopping(why, proxy.inFlight());
  try {
    return { why, summary: await closing };
  } finally {
    second.cancel();
  }
}
