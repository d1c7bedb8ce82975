import { redact } from '../core/redact.ts';
import type { SecretScanner } from '../core/secret-scanner.ts';
import type { JournalEntry, WireExchange } from './har-entry.ts';

const REDACTED = '[REDACTED]';
/** strings remembered per credential (then forgotten all at once): header values, URLs, bodies polled again */
const MEMO_ENTRIES = 128;
/** longer strings are redacted every time, not remembered (a memo stays within ~0.6 MB) */
const MEMO_MAX_CHARS = 2048;

/**
 * Strings as redacted JSON string literals: `JSON.stringify(s)` with every form of the credential (`scanner`) and
 * everything `redact()` removes replaced. A form without a bare `"` lies inside one JSON string, so a line made of
 * such literals holds no form a scan of the whole line would find (a credential with a `"` is not for this class).
 * A client sends the same header values, URLs and bodies again and again, and a polled task answers the same body
 * until its status moves: each distinct string is redacted once and remembered (up to MEMO_ENTRIES of them).
 */
export class RedactedLiterals {
  private readonly memo = new Map<string, string>();

  /** `scanner`: the credential's forms (none without a credential) */
  constructor(readonly scanner: SecretScanner | undefined) {}

  readonly of = (s: string): string => {
    let out = this.memo.get(s);
    if (out !== undefined) return out;
    const json = JSON.stringify(s);
    out = redact(this.scanner ? this.scanner.replace(json, REDACTED) : json);
    if (s.length <= MEMO_MAX_CHARS) {
      if (this.memo.size >= MEMO_ENTRIES) this.memo.clear();
      this.memo.set(s, out);
    }
    return out;
  };
}

/** A header object as JSON (undefined values left out, repeated headers as lists), names and values as `lit` writes. */
function headersJson(headers: WireExchange['headers'], lit: (s: string) => string): string {
  let out = '';
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const json = Array.isArray(value) ? `[${value.map(lit).join(',')}]` : lit(value);
    out += `${out ? ',' : '{'}${lit(name)}:${json}`;
  }
  return out ? `${out}}` : '{}';
}

/** `,"name":literal` when `value` is set (JSON.stringify leaves an undefined field out) */
const field = (name: string, value: string | undefined, lit: (s: string) => string) =>
  value === undefined ? '' : `,"${name}":${lit(value)}`;

/**
 * The journal line of `e`: the text `JSON.stringify(e)` writes (same fields, same order), with every string written
 * by `lit` (a redacted literal). Numbers are the recorder's own (sequence, times, sizes, status); every string a peer
 * could have written passes through `lit`.
 */
export function journalLine(e: JournalEntry, lit: (s: string) => string): string {
  const kc = e.kc;
  const meta =
    `{"seq":${kc.seq},"monotonicMs":${kc.monotonicMs},"client":${lit(kc.client)}${field('key', kc.key, lit)}` +
    `${field('operation', kc.operation, lit)}${field('taskId', kc.taskId, lit)}${field('step', kc.step, lit)}` +
    `${field('fault', kc.fault, lit)}${kc.dropped === undefined ? '' : `,"dropped":${kc.dropped}`}}`;
  const request =
    `"method":${lit(e.method)},"url":${lit(e.url)},"headers":${headersJson(e.headers, lit)}` +
    `${field('body', e.body, lit)}${field('bodyComment', e.bodyComment, lit)},"bodySize":${e.bodySize}`;
  const response =
    `"status":${e.status}${e.resHeaders ? `,"resHeaders":${headersJson(e.resHeaders, lit)}` : ''}` +
    `${field('resBody', e.resBody, lit)},"resSize":${e.resSize}${field('resComment', e.resComment, lit)}`;
  return `{"kc":${meta},"time":${e.time},${request},${response}}`;
}
