/**
 * Redaction happens once, before anything leaves the process (console, report file, error message).
 * Known secrets (the API key read from the environment) are replaced wherever they appear; a credential after
 * any provider's documented auth prefix (registered from its spec, e.g. "Bearer " or "Key ") and any JWT are
 * masked even when we were never told them.
 */
import { hasBinaryRun } from './binary-runs.ts';
import { mayHideForms, redactDecoded } from './decoded-leaks.ts';
import { SecretScanner, type Span } from './secret-scanner.ts';

const REDACTED = '[REDACTED]';
const secrets = new Set<string>();
const prefixes = new Set<string>();
let prefixPattern: RegExp | undefined;
/** what redactKnown()'s patterns need in a text to match at all: "eyJ" (a JWT) or an auth prefix word (one test) */
let patternWords = /eyJ/;
/** counts registrations: what redact() removes may have grown since a caller remembered its results */
let version = 0;
/** some registered secret has a `"` (its forms can span the end of a JSON string) */
let quoted = false;
/**
 * Secrets this long or longer are also looked for inside base64 and hex runs of partial spellings (decoded-leaks.ts);
 * a shorter one (a short -H value) would have every short run decoded, at a cost out of proportion.
 */
const BINARY_SECRET_MIN = 12;
/** the length of the shortest registered secret BINARY_SECRET_MIN long or longer */
let shortest = Number.POSITIVE_INFINITY;
/** `n` when a secret that long is looked for in base64 and hex runs, else Infinity */
const binaryHunted = (n: number) => (n >= BINARY_SECRET_MIN ? n : Number.POSITIVE_INFINITY);

/** Whether `secret` is registered whole (every later `redact()` removes it and its forms). */
export const isRegisteredSecret = (secret: string): boolean => secrets.has(secret);

/** Changes whenever a secret or an auth prefix is registered (so remembered redactions are stale). */
export const redactionVersion = (): number => version;
/**
 * Whether a registered secret has a `"`: only then can a form of it span the end of a JSON string, and JSON text must
 * be redacted whole rather than string by string (a form without a bare `"` lies inside one string literal).
 */
export const secretWithQuote = (): boolean => quoted;

/** A header prefix a credential follows (from a spec's auth scheme); a blank prefix adds nothing. */
export function registerAuthPrefix(prefix: string): void {
  const word = prefix.trim();
  if (!word || prefixes.has(word)) return;
  prefixes.add(word);
  version++;
  const words = [...prefixes].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  patternWords = new RegExp(`eyJ|${words}`);
  // A credential follows the prefix directly and is made of credential characters (a quote, a parenthesis or an
  // ellipsis after "Key" is prose); "$VAR" is a reference to an environment variable (e.g. in a curl line), not a
  // secret; a short plain word ("Bearer Token authentication") is prose. Anything with a digit or symbol, or 8+
  // characters long, is a credential. The prefix is matched as the spec writes it ("Key", not "key").
  prefixPattern = new RegExp(
    `\\b((?:${words})\\s+)(?!\\[REDACTED\\]|\\$[A-Z_])(?=[A-Za-z]*[^A-Za-z\\s"',\\\\()…]|[A-Za-z]{8})[\\w.~+/=:{}-]+`,
    'g',
  );
}

/** header.payload.signature with base64url JSON parts: a token, whoever minted it */
const JWT = /\beyJ[\w-]{6,}\.eyJ[\w-]{4,}\.[\w-]{10,}/g;

/**
 * Registers a secret (e.g. the live API key) so that every later `redact()` call removes it — and the forms a
 * hostile or careless gateway may echo it in (see encodedForms).
 */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < 4 || secrets.has(secret)) return;
  secrets.add(secret);
  version++;
  quoted ||= secret.includes('"');
  shortest = Math.min(shortest, binaryHunted(secret.length));
  // each form also as it reads inside a JSON string (reports are redacted as JSON text)
  for (const form of encodedForms(secret))
    if (form.length >= 6) secrets.add(form).add(JSON.stringify(form).slice(1, -1));
  scanner = undefined;
}

/** Every byte as %XX, &#N; or &#xX; (what "encode everything" modes of URL and HTML encoders emit). */
const perByte = (secret: string, each: (byte: number) => string) => [...Buffer.from(secret, 'utf8')].map(each).join('');
/** Every UTF-16 unit as \uXXXX (JSON encoders that escape all characters, e.g. ensure_ascii on non-ASCII keys). */
const perUnit = (secret: string) =>
  [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
/** HTML/XML text escaping, as templates and error pages apply it (named entities, quotes both ways). */
const htmlEscape = (secret: string, quote: string, apostrophe: string) =>
  secret
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, quote)
    .replace(/'/g, apostrophe);

/** One reversible encoding: a string → the spellings it may take (several where encoders differ). */
type Encoding = (s: string) => string[];

/** Percent-encoding as URL encoders write it: component, `+` for space, form, `encodeURI`, every byte. */
const urlEncoded: Encoding = (s) => {
  const component = encodeURIComponent(s);
  return [
    component,
    component.replace(/%20/g, '+'),
    new URLSearchParams({ k: s }).toString().slice(2),
    encodeURI(s),
    perByte(s, (b) => `%${b.toString(16).padStart(2, '0')}`),
  ];
};
/** JSON string escaping: as JSON.stringify writes it, `\/` as PHP writes it, every character as \uXXXX. */
const jsonEscaped: Encoding = (s) => {
  const json = JSON.stringify(s).slice(1, -1);
  return [json, json.replace(/\//g, '\\/'), perUnit(s)];
};
/** HTML/XML: named escapes with each quote spelling (&quot; &#34; / &#39; &#x27; &apos; '), &#N; and &#xN; per byte. */
const htmlEscaped: Encoding = (s) => [
  ...['&quot;', '&#34;'].flatMap((q) => ['&#39;', '&#x27;', '&apos;', "'"].map((a) => htmlEscape(s, q, a))),
  perByte(s, (b) => `&#${b};`),
  perByte(s, (b) => `&#x${b.toString(16)};`),
];
const hexEncoded: Encoding = (s) => [Buffer.from(s, 'utf8').toString('hex')];
/** Base64 and base64url, at each of the three byte alignments `s` can have inside a longer encoded value. */
const base64Encoded: Encoding = (s) => {
  const out: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    // `s` `offset` bytes into a longer value: keep only the characters that depend on `s` alone
    const bytes = Buffer.concat([Buffer.alloc(offset, 0), Buffer.from(s, 'utf8')]);
    const b64 = bytes.toString('base64').replace(/=+$/, '');
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor((bytes.length * 4) / 3) - (bytes.length % 3 === 0 ? 0 : 1);
    const core = b64.slice(start, Math.max(start, end));
    out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
};
const reversed: Encoding = (s) => [[...s].reverse().join('')];
const ENCODINGS = [urlEncoded, jsonEscaped, htmlEscaped, hexEncoded, base64Encoded, reversed];

/**
 * The reversible encodings a gateway is likely to echo a key in, once and applied twice in any order (URL-encoded
 * twice, base64 of hex, JSON inside HTML entities, …): URL encoding (component, form, RFC 3986 path, every byte),
 * JSON escaping (`\/`, every character as \uXXXX), HTML entities (named, decimal, hex), hex, base64 and base64url
 * (at each byte alignment), and the key reversed. Hex digits may be of either case, even mixed: forms are matched
 * ignoring case. A form shorter than 6 characters is not registered (it would mask prose).
 */
export function encodedForms(secret: string): string[] {
  const once = ENCODINGS.flatMap((encode) => encode(secret));
  const twice = once.flatMap((form) => ENCODINGS.flatMap((encode) => encode(form)));
  return [...new Set([...once, ...twice])].filter((f) => f !== secret);
}

/** Every registered form, found in one pass ignoring case (rebuilt when a secret is registered). */
let scanner: SecretScanner | undefined;

/**
 * `text` with every registered secret, credential after an auth prefix and JWT removed, in every encoded form, also
 * where only some characters are encoded or such a spelling is inside base64 or hex (decoded-leaks.ts: the part of
 * the text that spells one is removed).
 */
export function redact(text: string): string {
  return redactWith(text, undefined);
}

/**
 * What redact() does, and also `scanner`'s forms (a credential's): `text` is `raw` as written (e.g. JSON-quoted), and
 * decoded forms are looked for only when `raw` holds a `%`, `\` or `&`, or `text` a base64 or hex run long enough to
 * hold a secret (without, decoding `text` finds nothing `text` does not show).
 */
export function redactWith(text: string, scanner: SecretScanner | undefined, raw = text): string {
  const out = redactKnown(scanner ? scanner.replace(text, REDACTED) : text);
  const least = Math.min(shortest, binaryHunted(scanner?.shortest ?? 0));
  const escapes = mayHideForms(raw);
  if (!escapes && !hasBinaryRun(out, least)) return out;
  return redactDecoded(out, (d) => knownSpans(d, scanner), least, escapes);
}

function redactKnown(text: string): string {
  let out = secrets.size ? (scanner ??= new SecretScanner(secrets)).replace(text, REDACTED) : text;
  // each pattern only where its fixed part occurs (the patterns test every position): most text has none of them
  if (!patternWords.test(out)) return out;
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
  return prefixPattern && hasPrefixWord(out) ? out.replace(prefixPattern, `$1${REDACTED}`) : out;
}

/** Where in `text` (a decoded layer) redactKnown() and `credential`'s forms find something to remove. */
function knownSpans(text: string, credential: SecretScanner | undefined): Span[] {
  const spans = secrets.size ? (scanner ??= new SecretScanner(secrets)).spans(text) : [];
  if (credential) spans.push(...credential.spans(text));
  if (text.includes('eyJ')) for (const m of text.matchAll(JWT)) spans.push([m.index, m.index + m[0].length]);
  if (prefixPattern && hasPrefixWord(text))
    for (const m of text.matchAll(prefixPattern)) spans.push([m.index + m[1]!.length, m.index + m[0].length]);
  return spans;
}

function hasPrefixWord(text: string): boolean {
  for (const word of prefixes) if (text.includes(word)) return true;
  return false;
}

/** Deep redaction for JSON values (reports): strings are redacted, structure is kept. */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value ?? null))) as T;
}
