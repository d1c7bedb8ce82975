import { SignJWT } from 'jose';
import type { ProviderSpec } from '../spec/model.ts';
import type { AuthConditionName } from '../spec/auth-model.ts';
import { WRONG_KEY_PREFIX } from '../mock/default-credential.ts';

/** The credential a client holds: a key, or (minted tokens) an access key and the secret that signs. */
export interface Credential {
  key?: string;
  secret?: string;
}

/** A valid header, or one that fails authentication in a documented way (for the auth checks). */
export type AuthVariant = 'valid' | AuthConditionName;

const WRONG = `${WRONG_KEY_PREFIX}0000000000`;

/**
 * The authentication header for one request, as the spec's auth scheme says: `<header>: <prefix><credential>`,
 * where the credential is the key itself or a JWT minted now (HS256 with the access key as issuer, signed with
 * the secret key). Tokens are minted on the wall clock, as the gateway verifies them.
 */
export async function authHeader(
  spec: ProviderSpec,
  credential: Credential,
  variant: AuthVariant = 'valid',
  nowMs = Date.now(),
): Promise<Record<string, string>> {
  const auth = spec.x.auth;
  const name = auth.header.toLowerCase();
  if (variant === 'missing' || !credential.key) return {};
  const c = auth.credential;
  if (c.kind === 'static') {
    if (variant === 'wrongKey') return { [name]: `${auth.prefix}${WRONG}` };
    // malformed: the key without the documented prefix (e.g. fal's "Key ")
    if (variant === 'malformed') return { [name]: credential.key };
    return { [name]: `${auth.prefix}${credential.key}` };
  }
  // malformed: the raw access key where a token belongs (the commonest mistake with Kling's AK/SK)
  if (variant === 'malformed') return { [name]: `${auth.prefix}${credential.key}` };
  const now = Math.floor(nowMs / 1000);
  const skew = c.notBeforeSkewSeconds ?? 0;
  const shift = variant === 'expired' ? -(c.lifetimeSeconds + 120) : variant === 'notYetValid' ? 600 + skew : 0;
  const secret = variant === 'wrongKey' ? WRONG : (credential.secret ?? '');
  const token = await new SignJWT({ [c.issuerClaim]: credential.key })
    .setProtectedHeader({ alg: c.algorithm, typ: c.typ ?? 'JWT' })
    .setExpirationTime(now + shift + c.lifetimeSeconds)
    .setNotBefore(now + shift - skew)
    .sign(new TextEncoder().encode(secret));
  return { [name]: `${auth.prefix}${token}` };
}
