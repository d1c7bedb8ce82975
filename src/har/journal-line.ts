import { redactWith } from '../core/redact.ts';
import type { SecretScanner } from '../core/secret-scanner.ts';
import type { JournalEntry, WireExchange } from './har-entry.ts';

/**
 * strings remembered per credential in each of two generations: header values, URLs, bodies polled again (when full,
 * the memo becomes the older generation and the one before is forgotten)
 */
const MEMO_ENTRIES = 64;
/** longer strings are redacted every time, not remembered (both generations stay within ~0.6 MB) */
const MEMO_MAX_CHARS = 2048;
/** header sets remembered per credential (a client sends the same request headers; a route answers the same ones) */
const HEADER_SETS = 16;
/** what JSON.stringify escapes in a string (lone surrogates among all surrogates): without any, it only adds quotes */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Strings as redacted JSON string literals: `JSON.stringify(s)` with every form of the credential (`scanner`) and
 * everything `redact()` removes replaced. A form without a bare `"` lies inside one JSON string, so a line made of
 * such literals holds no form a scan of the whole line would find (a credential with a `"` is not for this class).
 * A client sends the same header values, URLs and bodies again and again, and a polled task answers the same body
 * until its status moves: each distinct string is redacted once and remembered (up to 2 × MEMO_ENTRIES of them).
 */
export class RedactedLiterals {
  private memo = new Map<string, Remembered>();
  /** the memo before it was last full: a string found here is remembered again (what recurs outlives a clear) */
  private older = new Map<string, Remembered>();
  /** header sets written for this credential, newest first */
  private readonly sets: WrittenHeaders[] = [];

  /**
   * `scanner`: the credential's forms (none without a credential); `define`: writes a string's literal on its own
   * journal line and returns its id (a recorder with a journal file; see `ref`)
   */
  constructor(
    readonly scanner: SecretScanner | undefined,
    private readonly define?: (literal: string) => number,
  ) {}

  /** `s` as its redacted JSON string literal. */
  readonly of = (s: string): string => this.remembered(s).lit;

  /**
   * `s` as a journal line with a journal file holds it: the first time, its literal; when it comes again, its literal
   * is defined once on a line of its own (`define`) and this and every later line hold its id, a number (a poll's
   * line is then mostly numbers). Without `define`: its literal.
   */
  readonly ref = (s: string): string => {
    const r = this.remembered(s);
    if (r.id !== undefined || !this.define) return r.id ?? r.lit;
    if (!r.seen) {
      r.seen = true;
      return r.lit;
    }
    r.id = `${this.define(r.lit)}`;
    return r.id;
  };

  private remembered(s: string): Remembered {
    let r = this.memo.get(s);
    if (r !== undefined) return r;
    r = this.older.get(s);
    if (r === undefined) {
      const json = NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
      r = { lit: redactWith(json, this.scanner, s), seen: false, id: undefined };
    }
    if (s.length <= MEMO_MAX_CHARS) {
      if (this.memo.size >= MEMO_ENTRIES) {
        this.older = this.memo;
        this.memo = new Map();
      }
      this.memo.set(s, r);
    }
    return r;
  }

  /**
   * `headers` as the id of a header set the journal already holds (written for this credential with these very names
   * and values, in this order), else written by `define` (which returns its id). A set holding a list (a repeated
   * header) is written inline: its JSON, not an id. `mask`: each value as the journal writes it (the auth header's
   * credential masked); a set is matched on the values as they came.
   */
  headersRef(headers: WireExchange['headers'], define: (json: string) => number, mask: Mask = asIs): string {
    for (const set of this.sets) if (sameHeaders(set, headers)) return set.id;
    const names: string[] = [];
    const values: string[] = [];
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined) continue;
      if (typeof value !== 'string') return headersJson(headers, this.of, mask);
      names.push(name);
      values.push(value);
    }
    const id = `${define(headersJson(headers, this.of, mask))}`;
    if (this.sets.length >= HEADER_SETS) this.sets.pop();
    this.sets.unshift({ names, values, id });
    return id;
  }
}

/** A header value as the journal writes it (given its header's name): the auth header's credential masked. */
export type Mask = (name: string, value: string) => string;
const asIs: Mask = (_name, value) => value;

/** A string redacted once: its literal, whether a line held it, and the id of the line defining it (once it recurs). */
interface Remembered {
  lit: string;
  seen: boolean;
  id: string | undefined;
}

/** A header set the journal holds: its names and values as they came, and its id. */
interface WrittenHeaders {
  names: string[];
  values: string[];
  id: string;
}

/** Whether `headers` has exactly the set's names and values, in its order. */
function sameHeaders(set: WrittenHeaders, headers: WireExchange['headers']): boolean {
  let i = 0;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (name !== set.names[i] || value !== set.values[i]) return false;
    i++;
  }
  return i === set.names.length;
}

/**
 * A header object as JSON (undefined values left out, repeated headers as lists), names and values as `lit` writes
 * them, each value first passed through `mask`.
 */
export function headersJson(headers: WireExchange['headers'], lit: (s: string) => string, mask: Mask = asIs): string {
  let out = '';
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const json = Array.isArray(value)
      ? `[${value.map((one) => lit(mask(name, one))).join(',')}]`
      : lit(mask(name, value));
    out += `${out ? ',' : '{'}${lit(name)}:${json}`;
  }
  return out ? `${out}}` : '{}';
}

/** `,"name":literal` when `value` is set (JSON.stringify leaves an undefined field out) */
const field = (name: string, value: string | undefined, lit: (s: string) => string) =>
  value === undefined ? '' : `,"${name}":${lit(value)}`;

/**
 * The journal line of `e`: the text `JSON.stringify(e)` writes (same fields, same order), with every string written
 * by `lit` (a redacted literal) and the request's and the answer's header objects by `headers` and `resHeaders` (by
 * default their JSON; a recorder with a journal file writes a header set's id instead, see read-journal.ts). Numbers
 * are the recorder's own (sequence, times, sizes, status); every string a peer could have written passes through `lit`.
 */
export function journalLine(
  e: JournalEntry,
  lit: (s: string) => string,
  headers: (h: WireExchange['headers']) => string = (h) => headersJson(h, lit),
  resHeaders = headers,
): string {
  const kc = e.kc;
  const meta =
    `{"seq":${kc.seq},"monotonicMs":${kc.monotonicMs},"client":${lit(kc.client)}${field('key', kc.key, lit)}` +
    `${field('operation', kc.operation, lit)}${field('taskId', kc.taskId, lit)}${field('step', kc.step, lit)}` +
    `${field('fault', kc.fault, lit)}${kc.dropped === undefined ? '' : `,"dropped":${kc.dropped}`}}`;
  const request =
    `"method":${lit(e.method)},"url":${lit(e.url)},"headers":${headers(e.headers)}` +
    `${field('body', e.body, lit)}${field('bodyComment', e.bodyComment, lit)},"bodySize":${e.bodySize}`;
  const response =
    `"status":${e.status}${e.resHeaders ? `,"resHeaders":${resHeaders(e.resHeaders)}` : ''}` +
    `${field('resBody', e.resBody, lit)},"resSize":${e.resSize}${field('resComment', e.resComment, lit)}`;
  return `{"kc":${meta},"time":${e.time},${request},${response}}`;
}
