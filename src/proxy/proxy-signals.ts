import type { RunningProxy, StopSummary } from './proxy-server.ts';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Where stop signals come from: the process, or a test's emitter standing in for it. */
export interface SignalSource {
  once(signal: string, listener: () => void): unknown;
  off(signal: string, listener: () => void): unknown;
}

/** The next of `signals` to arrive (named); `cancel` stops listening (the signal's default action applies again). */
function nextSignal(source: SignalSource, signals: readonly string[]) {
  const listeners = new Map<string, () => void>();
  const cancel = () => {
    for (const [signal, listener] of listeners) source.off(signal, listener);
  };
  const arrived = new Promise<string>((resolve) => {
    for (const signal of signals) {
      const listener = () => {
        cancel();
        resolve(signal);
      };
      listeners.set(signal, listener);
      source.once(signal, listener);
    }
  });
  return { arrived, cancel };
}

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
