/** The signals a serving command stops on (Ctrl-C, a service manager's stop, a closed terminal). */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Where stop signals come from: the process, or a test's emitter standing in for it. */
export interface SignalSource {
  once(signal: string, listener: () => void): unknown;
  off(signal: string, listener: () => void): unknown;
}

/** The next of `signals` to arrive (named); `cancel` stops listening (the signal's default action applies again). */
export function nextSignal(source: SignalSource = process, signals: readonly string[] = STOP_SIGNALS) {
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
