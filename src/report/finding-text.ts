import type { Finding } from '../checks/types.ts';

/** What a finding says, naming the client whose recorded traffic it is about where it is about one. */
export const findingSummary = (f: Finding): string => (f.client ? `client ${f.client}: ${f.message}` : f.message);

/** A finding as one report line: its kind, the field, whether it rests on our reading, then what it says. */
export const findingLine = (f: Finding): string =>
  `finding (${f.kind}${f.pointer ? ` at ${f.pointer}` : ''}${f.inferred ? ', inferred' : ''}): ${findingSummary(f)}`;

/** A finding that only repeats its check's message is listed once (as the message). */
export const repeatsMessage = (f: Finding, message: string): boolean =>
  message === f.message || message === findingSummary(f);
