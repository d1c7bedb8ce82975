import { encodedForms, redact } from '../core/redact.ts';
import { SecretScanner } from '../core/secret-scanner.ts';
import { CLIENT_ID_HEADER, clientOf, credentialOf } from './client-id.ts';
import type { ExchangeNote, KcEntryMeta } from './har-types.ts';

/** One exchange as a server adapter saw it: what came in, what went out, when (performance.now() times). */
export interface WireExchange {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  startedAt: number;
  endedAt: number;
  /** undefined: the connection was dropped without an answer */
  response?: { status: number; headers: Record<string, string>; body: string | Uint8Array };
  note?: ExchangeNote;
}

/**
 * One exchange as a journal line holds it: the wire's values as they came (headers as an object, bodies as text),
 * redacted; read-journal.ts makes the HAR entry of it when the journal is read. Spelling the HAR entry out for every
 * answer (its header lists, query list, wall-clock date) cost more than the answer itself.
 */
export interface JournalEntry {
  /** the HAR fields this tool adds (`_kc`): seq, monotonic start, client, key fingerprint, the mock's note */
  kc: KcEntryMeta;
  /** milliseconds from start to answer */
  time: number;
  method: string;
  url: string;
  headers: WireExchange['headers'];
  body?: string;
  bodySize: number;
  /** 0: the connection was dropped without an answer */
  status: number;
  resHeaders?: Record<string, string>;
  resBody?: string;
  resSize: number;
  /** why a body is not (wholly) in the record: cut, binary, dropped */
  resComment?: string;
  bodyComment?: string;
}

/** Bodies longer than this are cut in the record (the size is kept): the record stays bounded per entry. */
export const BODY_TEXT_LIMIT = 64 * 1024;
const REDACTED = '[REDACTED]';

const sizeOf = (body: string | Uint8Array) => (typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
/** A body as the record's text: cut past BODY_TEXT_LIMIT, left out when binary (the comment says which). */
function asText(body: string | Uint8Array, mimeType: string): { text?: string; comment?: string } {
  if (typeof body !== 'string' && !/json|text|xml|form|^$/.test(mimeType))
    return { comment: 'binary body not recorded' };
  const size = sizeOf(body);
  if (size === 0) return { text: '' };
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, size).toString('utf8');
  return size > BODY_TEXT_LIMIT
    ? { text: text.slice(0, BODY_TEXT_LIMIT), comment: `cut to ${BODY_TEXT_LIMIT} of ${size} bytes` }
    : { text };
}
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** How a recorder knows the credential: the spec's auth header and prefix. */
export interface AuthForm {
  header: string;
  prefix: string;
}

/**
 * Builds journal lines and redacts them: every encoded form of the credential the request carried (core/redact.ts's
 * forms: URL, JSON, base64… — one pattern per credential, one pass), then the process-wide redaction (registered
 * secrets, JWTs, any credential after a known auth prefix). The credential itself never reaches the line's text.
 */
export class EntryBuilder {
  private readonly forms = new Map<string, SecretScanner>();
  private readonly monoBase = performance.now();
  /** epoch milliseconds at monotonic 0: the HAR's startedDateTime is this plus the entry's monotonic start */
  readonly epochMs = Date.now();
  private seq = 0;
  private readonly authName: string;

  constructor(private readonly auth: AuthForm) {
    this.authName = auth.header.toLowerCase();
  }

  /** The exchange as one redacted JSON line of the journal. */
  line(x: WireExchange): string {
    const credential = credentialOf(first(x.headers[this.authName]), this.auth.prefix);
    const text = JSON.stringify(this.entry(x, credential));
    // the header's own value was masked above; these are echoes (a body, a URL) in any encoding
    return redact(credential ? this.formsOf(credential).replace(text, REDACTED) : text);
  }

  private entry(x: WireExchange, credential: string | undefined): JournalEntry {
    const res = x.response;
    const reqText = x.body.byteLength ? asText(x.body, first(x.headers['content-type']) ?? '') : undefined;
    const resText = res ? asText(res.body, res.headers['content-type'] ?? res.headers['Content-Type'] ?? '') : {};
    const note = x.note;
    // one fixed shape (an undefined field is left out of the JSON): what JSON.stringify writes fastest
    const kc: KcEntryMeta = {
      seq: ++this.seq,
      monotonicMs: Math.round((x.startedAt - this.monoBase) * 1000) / 1000,
      client: clientOf(first(x.headers[CLIENT_ID_HEADER]), credential),
      key: credential ? clientOf(undefined, credential) : undefined,
      operation: note?.operation,
      taskId: note?.taskId,
      step: note?.step,
      fault: note?.fault,
      dropped: res ? undefined : true,
    };
    return {
      kc,
      time: Math.max(0, Math.round((x.endedAt - x.startedAt) * 1000) / 1000),
      method: x.method,
      url: x.url,
      headers: credential ? this.masked(x.headers) : x.headers,
      body: reqText?.text,
      bodyComment: reqText?.comment,
      bodySize: x.body.byteLength,
      status: res?.status ?? 0,
      resHeaders: res?.headers,
      resBody: resText.text,
      resSize: res ? sizeOf(res.body) : 0,
      resComment: res ? resText.comment : 'connection dropped without an answer',
    };
  }

  /** The request's headers with the auth header's credential masked (the documented prefix kept). */
  private masked(headers: WireExchange['headers']): WireExchange['headers'] {
    const value = headers[this.authName];
    const mask = (one: string) => (one.startsWith(this.auth.prefix) ? `${this.auth.prefix}${REDACTED}` : REDACTED);
    return { ...headers, [this.authName]: Array.isArray(value) ? value.map(mask) : mask(value ?? '') };
  }

  /** The credential and its encoded forms (each also as it reads inside a JSON string), ready to be found. */
  private formsOf(credential: string): SecretScanner {
    let forms = this.forms.get(credential);
    if (!forms) {
      const all = [credential, ...encodedForms(credential)];
      forms = new SecretScanner([...all, ...all.map((f) => JSON.stringify(f).slice(1, -1))]);
      if (this.forms.size >= 1000) this.forms.clear();
      this.forms.set(credential, forms);
    }
    return forms;
  }
}
