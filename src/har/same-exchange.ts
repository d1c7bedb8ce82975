import type { WireExchange } from './har-entry.ts';

/**
 * An exchange journalled in full, against which later ones are matched: one that would make the very same journal
 * entry but for its sequence number and times — the same request (method, URL, headers in order, body), the same
 * answer (status, headers, body, the server's comment) and the same note — is written as a repeat of it
 * (har-recorder.ts), not as a line of its own. A client polling an unchanged task sends such exchanges again and again.
 */
export class RepeatTemplate {
  private readonly requestHeaders: string[];
  private readonly answerHeaders: string[];

  /** `x` must have an answer (a dropped exchange is never repeated: see `repeatable`) */
  constructor(private readonly x: WireExchange) {
    this.requestHeaders = flat(x.headers);
    this.answerHeaders = flat(x.response!.headers);
  }

  /** Whether `y` makes the same entry as the template but for its sequence number and times. */
  matches(y: WireExchange): boolean {
    const x = this.x;
    const rx = x.response!;
    const ry = y.response;
    if (!ry || ry.status !== rx.status || ry.comment !== rx.comment || y.method !== x.method || y.url !== x.url)
      return false;
    if (!sameNote(x.note, y.note) || !sameBody(x.body, y.body) || !sameBody(rx.body, ry.body)) return false;
    return sameHeaders(this.requestHeaders, y.headers) && sameHeaders(this.answerHeaders, ry.headers);
  }
}

/** Whether an exchange can be a template: it was answered, and no header of it is repeated (a list). */
export function repeatable(x: WireExchange): boolean {
  if (x.response === undefined) return false;
  for (const name in x.headers) if (Array.isArray(x.headers[name])) return false;
  return true;
}

/** names and values, alternating, in order (undefined values left out, as the journal leaves them out) */
function flat(headers: WireExchange['headers']): string[] {
  const out: string[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (typeof value === 'string') out.push(name, value);
  }
  return out;
}

function sameHeaders(flat: string[], headers: WireExchange['headers']): boolean {
  let i = 0;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (flat[i] !== name || flat[i + 1] !== value) return false;
    i += 2;
  }
  return i === flat.length;
}

function sameNote(a: WireExchange['note'], b: WireExchange['note']): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.operation === b.operation && a.taskId === b.taskId && a.step === b.step && a.fault === b.fault;
}

function sameBody(a: string | Uint8Array, b: string | Uint8Array): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return a.byteLength === b.byteLength && (a.byteLength === 0 || Buffer.compare(a, b) === 0);
}
