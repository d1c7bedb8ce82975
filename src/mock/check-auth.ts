import { decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { expectedAuthAnswer } from '../spec/auth.ts';
import type { AuthConditionName } from '../spec/auth-model.ts';
import type { MockState } from './mock-state.ts';
import { fail } from './respond.ts';

/** The access key / secret key pair the mock accepts when none is configured (documented in MockOptions). */
import { MOCK_DEFAULT_CREDENTIAL, WRONG_KEY_PREFIX } from './default-credential.ts';
import type { MockRequest, MockResponse } from './mock-route.ts';
export { MOCK_DEFAULT_CREDENTIAL };

/**
 * Authentication as the spec's scheme says: the header, its prefix, and a static key or a JWT signed with a known
 * secret and within its nbf/exp (judged on the wall clock, as a gateway's servers do). Each documented failure
 * (missing, malformed, wrong key, expired, not yet valid) gets its own documented answer.
 */
export async function checkAuth(state: MockState, request: MockRequest): Promise<MockResponse | undefined> {
  const auth = state.spec.x.auth;
  const header = request.headers.get(auth.header);
  if (!header) return deny(state, 'missing', `missing ${auth.header} header`);
  if (!header.startsWith(auth.prefix) || header.length === auth.prefix.length)
    return deny(state, 'malformed', `${auth.header} must be "${auth.prefix}<credential>"`);
  const credential = header.slice(auth.prefix.length).trim();
  if (auth.credential.kind === 'static') {
    if (/\s/.test(credential)) return deny(state, 'malformed', `${auth.header} must be "${auth.prefix}<credential>"`);
    const valid = state.options.validKeys
      ? state.options.validKeys.includes(credential)
      : !credential.startsWith(WRONG_KEY_PREFIX);
    return valid ? undefined : deny(state, 'wrongKey', 'invalid API key');
  }
  return verifyToken(state, credential, auth.credential.issuerClaim, auth.credential.algorithm);
}

async function verifyToken(
  state: MockState,
  token: string,
  issuerClaim: string,
  algorithm: string,
): Promise<MockResponse | undefined> {
  let issuer: unknown;
  try {
    issuer = decodeJwt(token)[issuerClaim];
  } catch {
    // a raw access key, or anything else that is not a JWT
    return deny(state, 'malformed', 'the token is not a JWT');
  }
  const pairs = state.options.credentials ?? [MOCK_DEFAULT_CREDENTIAL];
  const pair = pairs.find((p) => p.accessKey === issuer);
  if (!pair) return deny(state, 'wrongKey', 'unknown access key');
  try {
    await jwtVerify(token, new TextEncoder().encode(pair.secretKey), {
      algorithms: [algorithm],
      currentDate: new Date(),
    });
    return undefined;
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) return deny(state, 'expired', 'the token has expired');
    if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf')
      return deny(state, 'notYetValid', 'the token is not valid yet');
    if (err instanceof joseErrors.JWSSignatureVerificationFailed)
      return deny(state, 'wrongKey', 'the token signature does not verify');
    return deny(state, 'malformed', 'the token is malformed');
  }
}

function deny(state: MockState, condition: AuthConditionName, message: string): MockResponse {
  // a condition's own code where documented; else the status's code, chosen like every other claim (--claims)
  return fail(
    state,
    expectedAuthAnswer(state.spec, condition).status,
    message,
    undefined,
    state.spec.x.auth.conditions?.[condition]?.code,
  );
}
