/**
 * Redaction happens once, before anything leaves the process (console, report file, error message).
 * Known secrets (the API key read from the environment) are replaced wherever they appear; a credential after
 * any provider's documented auth prefix (registered from its spec, e.g. "Bearer " or "Key ") and any JWT are
 * masked even when we were never told them.
 */
const REDACTED = '[REDACTED]';
const secrets = new Set<string>();
const prefixes = new Set<string>();
let prefixPattern: RegExp | undefined;

/** A header prefix a credential follows (from a spec's auth scheme); a blank prefix adds nothing. */
export function registerAuthPrefix(prefix: string): void {
  const word = prefix.trim();
  if (!word || prefixes.has(word)) return;
  prefixes.add(word);
  const words = [...prefixes].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
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
 * hostile or careless gateway may echo it in: URL-encoded, JSON-escaped (once and twice), and base64 (standard and
 * URL-safe, at each of the three byte alignments it can have inside a longer encoded string).
 */
export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < 4 || secrets.has(secret)) return;
  secrets.add(secret);
  for (const form of encodedForms(secret)) if (form.length >= 6) secrets.add(form);
}

export function encodedForms(secret: string): string[] {
  const json1 = JSON.stringify(secret).slice(1, -1);
  const json2 = JSON.stringify(json1).slice(1, -1);
  const forms = [encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), json1, json2];
  for (let offset = 0; offset < 3; offset++) {
    // the secret `offset` bytes into a longer value: keep only the characters that depend on the secret alone
    const bytes = Buffer.concat([Buffer.alloc(offset, 0), Buffer.from(secret, 'utf8')]);
    const b64 = bytes.toString('base64').replace(/=+$/, '');
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor((bytes.length * 4) / 3) - (bytes.length % 3 === 0 ? 0 : 1);
    const core = b64.slice(start, Math.max(start, end));
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(forms)].filter((f) => f !== secret);
}

export function redact(text: string): string {
  let out = text;
  // longest first, so a secret is never left half-replaced by one of its own shorter forms
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  out = out.replace(JWT, REDACTED);
  return prefixPattern ? out.replace(prefixPattern, `$1${REDACTED}`) : out;
}

/** Deep redaction for JSON values (reports): strings are redacted, structure is kept. */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value ?? null))) as T;
}
