import type { WireExchange } from './har-entry.ts';

/**
 * The exchange journalled last in full, against which the next is matched: one that would make the very same journal
 * entry but for its sequence number and times — the same request (method, URL, headers in order, body), the same
 * answer (status, headers, body, the server's comment) and the same note — is written as a repeat of it
 * (har-recorder.ts), not as a line of its own. A client polling an unchanged task sends such exchanges again and again.
 * One template serves a whole recording and allocates nothing per exchange: a create (its task id new each time) is
 * told apart by its note before any header is compared, and the template's header lists are made only when an
 * exchange got that far (a poll), once per template.
 */
export class RepeatTemplate {
  private x: WireExchange | undefined;
  /** names and values, alternating, in order; made on the first match that reaches the headers */
  private requestHeaders: string[] | undefined;
  private answerHeaders: string[] | undefined;
  /** a header of the template is repeated (a list): such an exchange is written in full, never as a repeat */
  private listed = false;

  /** Makes `x` the template (a dropped exchange, without an answer, is never repeated: none is then). */
  set(x: WireExchange): void {
    this.x = x.response === undefined ? undefined : x;
    this.requestHeaders = undefined;
    this.answerHeaders = undefined;
    this.listed = false;
  }

  /** Whether `y` makes the same entry as the template but for its sequence number and times. */
  matches(y: WireExchange): boolean {
    const x = this.x;
    if (!x) return false;
    const rx = x.response!;
    const ry = y.response;
    if (!ry || ry.status !== rx.status || ry.comment !== rx.comment || y.method !== x.method || y.url !== x.url)
      return false;
    if (!sameNote(x.note, y.note) || !sameBody(x.body, y.body) || !sameBody(rx.body, ry.body)) return false;
    if (!this.requestHeaders) {
      this.listed = hasList(x.headers);
      this.requestHeaders = flat(x.headers);
      this.answerHeaders = flat(rx.headers);
    }
    if (this.listed) return false;
    return sameHeaders(this.requestHeaders, y.headers) && sameHeaders(this.answerHeaders!, ry.headers);
  }
}

function hasList(headers: WireExchange['headers']): boolean {
  for (const name in headers) if (Array.isArray(headers[name])) return true;
  return false;
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
