import { createHash } from 'node:crypto';

/** The header a client may send to name itself (parallel test workers sharing one key): faults and checks use it. */
export const CLIENT_ID_HEADER = 'x-client-id';

const fingerprints = new Map<string, string>();
const MAX_FINGERPRINTS = 1000;

/** The credential in an auth header value (after the documented prefix), or undefined. */
export function credentialOf(headerValue: string | undefined, prefix: string): string | undefined {
  if (!headerValue) return undefined;
  const rest = headerValue.startsWith(prefix) ? headerValue.slice(prefix.length) : headerValue;
  return rest.trim() || undefined;
}

/**
 * Who sent a request: its x-client-id, else `key-<12 hex>` (a SHA-256 fingerprint of the credential: the record never
 * holds the credential; a JWT is fingerprinted by its issuer, so a client that mints a fresh token stays one client),
 * else `anonymous`.
 */
export function clientOf(clientIdHeader: string | undefined, credential: string | undefined): string {
  if (clientIdHeader) return clientIdHeader.slice(0, 128);
  if (!credential) return 'anonymous';
  let id = fingerprints.get(credential);
  if (id) return id;
  const identity = jwtIssuer(credential) ?? credential;
  id = `key-${createHash('sha256').update(identity).digest('hex').slice(0, 12)}`;
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
