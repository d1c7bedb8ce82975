/**
 * Redaction happens once, before anything leaves the process (console, report file, error message).
 * Known secrets (the API key read from the environment) are replaced wherever they appear, and any
 * `Bearer <token>` is masked even when we were never told the token.
 */
const REDACTED = '[REDACTED]';
const secrets = new Set<string>();

/** Registers a secret (e.g. the live API key) so that every later `redact()` call removes it. */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 4) secrets.add(secret);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(REDACTED);
  // A token ends at whitespace, a quote, a comma or a backslash (an escaped quote inside JSON); "$VAR" is a
  // reference to an environment variable (e.g. in a curl line), not a secret; a short plain word ("Bearer Token
  // authentication") is prose. Anything with a digit or symbol, or 8+ characters long, is treated as a credential.
  return out.replace(/(Bearer\s+)(?!\[REDACTED\]|\$[A-Z_])(?=[^\s"',\\]*[^A-Za-z\s"',\\]|[^\s"',\\]{8})[^\s"',\\]+/gi, `$1${REDACTED}`);
}

/** Deep redaction for JSON values (reports): strings are redacted, structure is kept. */
export function redactValue<T>(value: T): T {
  return JSON.parse(redact(JSON.stringify(value ?? null))) as T;
}
