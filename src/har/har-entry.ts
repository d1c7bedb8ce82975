import {
  encodedForms,
  isRegisteredSecret,
  redactWith,
  redactionVersion,
  registerSecret,
  secretWithQuote,
} from '../core/redact.ts';
import { SecretScanner } from '../core/secret-scanner.ts';
import { CLIENT_ID_HEADER, clientOf, credentialOf } from './client-id.ts';
import type { ExchangeNote, KcEntryMeta } from './har-types.ts';
import { headersJson, journalLine, RedactedLiterals } from './journal-line.ts';

/** One exchange as a server adapter saw it: what came in, what went out, when (performance.now() times). */
export interface WireExchange {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  startedAt: number;
  endedAt: number;
  /** undefined: the connection was dropped without an answer; `comment`: why the server answered as it did */
  response?: { status: number; headers: Record<string, string>; body: string | Uint8Array; comment?: string };
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
  /** as they came, the auth header's credential too: the line written of the entry masks it (EntryBuilder.line) */
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
/** credentials whose forms (and redacted strings) a builder keeps at once */
const MAX_CREDENTIALS = 64;
/** distinct credentials a recorder registers as secrets of the whole process (learn) */
const LEARNED_CREDENTIALS = 64;

const sizeOf = (body: string | Uint8Array) => (typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
/** A body as the record's text: cut past BODY_TEXT_LIMIT, left out when binary (the comment says which). */
function asText(body: string | Uint8Array, mimeType: string): { text?: string; comment?: string } {
  if (typeof body !== 'string' && !/json|text|xml|form|^$/.test(mimeType))
    return { comment: 'binary body not recorded' };
  const size = sizeOf(body);
  if (size === 0) return { text: '' };
  const text = typeof body === 'string' ? body : utf8(body);
  return size > BODY_TEXT_LIMIT
    ? { text: text.slice(0, BODY_TEXT_LIMIT), comment: `cut to ${BODY_TEXT_LIMIT} of ${size} bytes` }
    : { text };
}
/** a Buffer decodes itself; a plain Uint8Array through a Buffer view of its bytes (making the view costs more) */
const utf8 = (bytes: Uint8Array) =>
  Buffer.isBuffer(bytes)
    ? bytes.toString('utf8')
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
/** milliseconds from the exchange's start to its answer, to the microsecond */
const durationMs = (x: WireExchange) => Math.max(0, Math.round((x.endedAt - x.startedAt) * 1000) / 1000);
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** How a recorder knows the credential: the spec's auth header and prefix. */
export interface AuthForm {
  header: string;
  prefix: string;
}

/**
 * Builds journal lines and redacts them: every encoded form of the credential the request carried (core/redact.ts's
 * forms: URL, JSON, base64… — one automaton per credential, one pass), then the process-wide redaction (registered
 * secrets, JWTs, any credential after a known auth prefix). The credential itself never reaches the line's text.
 * Each string of the line is redacted on its own and remembered (journal-line.ts); only a credential or secret with
 * a `"` (whose forms can span the end of a JSON string) has the line's whole text redacted instead.
 */
export class EntryBuilder {
  /** per credential ('' for none): its forms' scanner and the strings redacted for it so far */
  private readonly redactions = new Map<string, RedactedLiterals>();
  /** redactionVersion() when `redactions` was filled: a secret registered since makes them stale */
  private version = -1;
  private readonly monoBase = performance.now();
  /** epoch milliseconds at monotonic 0: the HAR's startedDateTime is this plus the entry's monotonic start */
  readonly epochMs = Date.now();
  private seq = 0;
  private readonly authName: string;
  /** header sets defined so far (their ids), and the definition lines the line being built needs first */
  private headerSets = 0;
  /** strings defined so far (their ids: a journal line holds a string that recurs by its id) */
  private strings = 0;
  private definitions = '';

  /**
   * `headerSets`: write each header set, and each string that recurs, once, as its own line, and entries with its id
   * (a journal read whole, in order: read-journal.ts); without, every line stands alone.
   */
  constructor(
    private readonly auth: AuthForm,
    private readonly options: { headerSets?: boolean } = {},
  ) {
    this.authName = auth.header.toLowerCase();
  }

  /**
   * The exchange as one redacted JSON line of the journal; with `headerSets`, preceded by the lines defining the header
   * sets and strings it is first to use (one string, each line ending in a newline but the last).
   */
  line(x: WireExchange): string {
    const credential = credentialOf(first(x.headers[this.authName]), this.auth.prefix);
    // the request's headers as they came: each way of writing the line below masks the auth header's credential
    const entry = this.entry(x, credential);
    // the header's own value is masked in the entry; what is redacted are echoes (a body, a URL) in any encoding
    const literals = this.redactionOf(credential ?? '');
    const mask = credential ? this.maskAuth : undefined;
    if (!credential?.includes('"') && !secretWithQuote()) {
      if (!this.options.headerSets) {
        return journalLine(entry, literals.of, (h) => headersJson(h, literals.of, h === x.headers ? mask : undefined));
      }
      const line = journalLine(
        entry,
        literals.ref,
        (h) => literals.headersRef(h, this.define, mask),
        (h) => literals.headersRef(h, this.define),
      );
      if (!this.definitions) return line;
      const withDefinitions = this.definitions + line;
      this.definitions = '';
      return withDefinitions;
    }
    const text = JSON.stringify(credential ? { ...entry, headers: this.masked(x.headers) } : entry);
    return redactWith(text, literals.scanner);
  }

  /** Queues the line defining a header set (its redacted JSON) before the line being built; returns its id. */
  private readonly define = (json: string): number => {
    this.definitions += `{"_kc_headers":${++this.headerSets},"set":${json}}\n`;
    return this.headerSets;
  };

  /** Queues the line defining a string that recurs (its redacted literal) before the line being built; its id. */
  private readonly defineString = (literal: string): number => {
    this.definitions += `{"_kc_string":${++this.strings},"v":${literal}}\n`;
    return this.strings;
  };

  /**
   * Registers the credential `x` carries as a secret (core/redact.ts): from then on every line, whichever request it
   * records, and everything else the process writes, has it removed in every encoding (a request without it, e.g.
   * an auth check's, may still echo it in another header). A credential holding a `"` is not learned.
   */
  learn(x: WireExchange): void {
    const value = first(x.headers[this.authName]);
    // the auth header of the request before, again (a client sends its key with every request): learned, or not, then
    if (value === this.lastAuthValue) return;
    this.lastAuthValue = value;
    const credential = credentialOf(value, this.auth.prefix);
    // one with a `"` would turn every later line to whole-text redaction (secretWithQuote): its own lines only
    if (!credential || credential.includes('"') || isRegisteredSecret(credential)) return;
    // a peer sending ever new keys must not grow the process's secrets without bound (each rebuilds the scanner):
    // past LEARNED_CREDENTIALS, a new key is redacted in its own requests' lines only (docs/verify-client.md)
    if (this.learned >= LEARNED_CREDENTIALS) return;
    this.learned++;
    registerSecret(credential);
  }

  private learned = 0;
  /** the auth header value learn() saw last */
  private lastAuthValue: string | undefined;

  /**
   * What an exchange repeating the entry before it adds to the journal (har-recorder.ts): `monotonicMs,time`; its
   * sequence number is the one before's plus one.
   */
  repeat(x: WireExchange): string {
    this.seq++;
    return `${this.monotonicMs(x)},${durationMs(x)}`;
  }

  /** The HAR startedDateTime of an exchange that started at `startedAt` (as harEntryOf writes it). */
  startedDateTime(startedAt: number): string {
    return new Date(this.epochMs + this.monotonicMs({ startedAt })).toISOString();
  }

  private monotonicMs(x: Pick<WireExchange, 'startedAt'>): number {
    return Math.round((x.startedAt - this.monoBase) * 1000) / 1000;
  }

  private entry(x: WireExchange, credential: string | undefined): JournalEntry {
    const res = x.response;
    const reqText = x.body.byteLength ? asText(x.body, first(x.headers['content-type']) ?? '') : undefined;
    const resText = res ? asText(res.body, res.headers['content-type'] ?? res.headers['Content-Type'] ?? '') : {};
    const note = x.note;
    const clientId = first(x.headers[CLIENT_ID_HEADER]);
    const key = credential ? this.keyOf(credential) : undefined;
    // one fixed shape (an undefined field is left out of the JSON): what JSON.stringify writes fastest
    const kc: KcEntryMeta = {
      seq: ++this.seq,
      monotonicMs: this.monotonicMs(x),
      client: clientId ? clientOf(clientId, credential) : (key ?? clientOf(undefined, undefined)),
      key,
      operation: note?.operation,
      taskId: note?.taskId,
      step: note?.step,
      fault: note?.fault,
      dropped: res ? undefined : true,
    };
    return {
      kc,
      time: durationMs(x),
      method: x.method,
      url: x.url,
      headers: x.headers,
      body: reqText?.text,
      bodyComment: reqText?.comment,
      bodySize: x.body.byteLength,
      status: res?.status ?? 0,
      resHeaders: res?.headers,
      resBody: resText.text,
      resSize: res ? sizeOf(res.body) : 0,
      resComment: res ? (res.comment ?? resText.comment) : 'connection dropped without an answer',
    };
  }

  /** The fingerprint of `credential` (`key-<12 hex>`), the last one kept: a client sends one key again and again. */
  private keyOf(credential: string): string {
    if (credential !== this.lastCredential) {
      this.lastKey = clientOf(undefined, credential);
      this.lastCredential = credential;
    }
    return this.lastKey;
  }

  private lastCredential: string | undefined;
  private lastKey = '';

  /** The request's headers with the auth header's credential masked (the documented prefix kept). */
  private masked(headers: WireExchange['headers']): WireExchange['headers'] {
    const value = headers[this.authName];
    const masked = Array.isArray(value) ? value.map(this.mask) : this.mask(value ?? '');
    return { ...headers, [this.authName]: masked };
  }

  private readonly mask = (one: string) =>
    one.startsWith(this.auth.prefix) ? `${this.auth.prefix}${REDACTED}` : REDACTED;

  /** A request header's value as the journal writes it: the auth header's masked, any other as it came. */
  private readonly maskAuth = (name: string, value: string) => (name === this.authName ? this.mask(value) : value);

  /** The credential's encoded forms (each also as it reads inside a JSON string) and its remembered strings. */
  private redactionOf(credential: string): RedactedLiterals {
    if (this.version !== redactionVersion()) {
      this.redactions.clear();
      this.version = redactionVersion();
    }
    let literals = this.redactions.get(credential);
    if (!literals) {
      // a credential learned whole (every form 6 characters or longer) is in redact()'s own scanner already
      const learned = credential.length >= 6 && isRegisteredSecret(credential);
      const all = credential && !learned ? [credential, ...encodedForms(credential)] : [];
      literals = new RedactedLiterals(
        all.length ? new SecretScanner([...all, ...all.map((f) => JSON.stringify(f).slice(1, -1))]) : undefined,
        this.options.headerSets ? this.defineString : undefined,
      );
      // the oldest credential's forgotten first (each holds ~100 KB of automaton and up to ~0.6 MB of strings)
      if (this.redactions.size >= MAX_CREDENTIALS) this.redactions.delete(this.redactions.keys().next().value!);
      this.redactions.set(credential, literals);
    }
    return literals;
  }
}
