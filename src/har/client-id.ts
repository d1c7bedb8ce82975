import { createHmac, randomBytes } from 'node:crypto';

/** The header a client may send to name itself (parallel test workers sharing one key): faults and checks use it. */
export const CLIENT_ID_HEADER = 'x-client-id';

/**
 * The environment variable that gives the key fingerprints' salt: set it to one long random value for every process
 * that records (or judges) one session, so the same key is the same client in all their recordings.
 */
export const FINGERPRINT_SALT_ENV = 'KLING_CONFORMANCE_FINGERPRINT_SALT';

const fingerprints = new Map<string, string>();
const MAX_FINGERPRINTS = 1000;
let processSalt: Buffer | undefined;

/**
 * This process's fingerprint salt: FINGERPRINT_SALT_ENV's value, else 32 random bytes drawn once. It is never written
 * (a record holding it would let a reader confirm a guessed key against its fingerprints).
 */
function salt(): Buffer {
  processSalt ??= process.env[FINGERPRINT_SALT_ENV] ? Buffer.from(process.env[FINGERPRINT_SALT_ENV]!) : randomBytes(32);
  return processSalt;
}

/**
 * `key-<12 hex>`: HMAC-SHA256 of the credential under a secret salt (a JWT: of its issuer, so a client that mints a
 * fresh token stays one client). Without the salt a fingerprint confirms no guessed key; under one salt the same key
 * always gives the same fingerprint.
 */
export function keyFingerprint(credential: string, key: Buffer | string = salt()): string {
  const identity = jwtIssuer(credential) ?? credential;
  return `key-${createHmac('sha256', key).update(identity).digest('hex').slice(0, 12)}`;
}

/**
 * Names the salt this process fingerprints keys with, for a recording's `log._kc.fingerprints`: two recordings with
 * the same name can be judged together as one session (the same key is the same fingerprint in both). An HMAC of a
 * fixed text: it tells nothing of the salt, nor of any key.
 */
export const fingerprintSaltId = (key: Buffer | string = salt()): string =>
  `salt-${createHmac('sha256', key).update('kling-conformance fingerprint salt').digest('hex').slice(0, 12)}`;

/** The credential in an auth header value (after the documented prefix), or undefined. */
export function credentialOf(headerValue: string | undefined, prefix: string): string | undefined {
  if (!headerValue) return undefined;
  const rest = headerValue.startsWith(prefix) ? headerValue.slice(prefix.length) : headerValue;
  return rest.trim() || undefined;
}

/**
 * Who sent a request: its x-client-id, else `key-<12 hex>` (keyFingerprint under this process's salt: the record
 * never holds the credential, nor anything a guessed key can be checked against), else `anonymous`.
 */
export function clientOf(clientIdHeader: string | undefined, credential: string | undefined): string {
  if (clientIdHeader) return clientIdHeader.slice(0, 128);
  if (!credential) return 'anonymous';
  let id = fingerprints.get(credential);
  if (id) return id;
  id = keyFingerprint(credential);
  if (fingerprints.size >= MAX_FINGERPRINTS) fingerprints.clear();
  fingerprints.set(credential, id);
  return id;
}

function jwtIssuer(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[0]!.startsWith('eyJ')) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' ? `jwt:${payload.iss}` : undefined;
  } catch {
    return undefined;
  }
}
