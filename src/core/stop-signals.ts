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

/**
 * Until the returned release is called, `signals` do nothing but `note` which arrived: a stop under way (the drain cut,
 * the record closing, the reports to write) is not ended by one more Ctrl-C, whose default action would end the
 * process with no report.
 */
export function holdSignals(
  source: SignalSource,
  signals: readonly string[],
  note: (signal: string) => void,
): () => void {
  const listeners = new Map<string, () => void>();
  for (const signal of signals) {
    const listener = () => {
      note(signal);
      source.once(signal, listener);
    };
    listeners.set(signal, listener);
    source.once(signal, listener);
  }
  return () => {
    for (const [signal, listener] of listeners) source.off(signal, listener);
  };
}

/**
 * A stop under way: the next of `signals` cuts it short (`cutNow` settles with "a second SIGINT"), and any after
 * that is held (`onHeld`) until `done` — the record and the reports still to write are never ended by one more Ctrl-C.
 */
export function cutOnSecondSignal(
  source: SignalSource = process,
  signals: readonly string[] = STOP_SIGNALS,
  onHeld: (signal: string) => void = () => {},
): { cutNow: Promise<string>; done: () => void } {
  const second = nextSignal(source, signals);
  let release: (() => void) | undefined;
  const cutNow = second.arrived.then((signal) => {
    release = holdSignals(source, signals, onHeld);
    return `a second ${signal}`;
  });
  return {
    cutNow,
    done: () => {
      second.cancel();
      release?.();
    },
  };
}
