import { registerAuthPrefix } from '../core/redact.ts';
import { pickClaim } from './claims.ts';
import type { ProviderSpec, Source } from './model.ts';
import type { AuthConditionName } from './auth-model.ts';

/** What a request that fails authentication in one documented way gets: a status, maybe a code, and why. */
export interface ExpectedAuthAnswer {
  status: number;
  code?: string | number;
  inferred: boolean;
  source: Source;
}

/**
 * The answer the documents give for one auth condition: the spec's own entry where it names one (Kling: 1001 for
 * an empty header, 1004 for an expired token), else the documented 401 with its code.
 */
export function expectedAuthAnswer(spec: ProviderSpec, condition: AuthConditionName): ExpectedAuthAnswer {
  const own = spec.x.auth.conditions?.[condition];
  if (own)
    return {
      status: own.status,
      code: own.code,
      inferred: Boolean(own.inferred || own.source.inferred),
      source: own.source,
    };
  const decl = spec.x.errors['401'];
  const claim = decl?.code?.length ? pickClaim(decl.code, 'mock') : undefined;
  return {
    status: 401,
    code: claim?.value,
    inferred: Boolean(claim?.inferred || claim?.source.inferred),
    source: claim?.source ?? spec.x.auth.source,
  };
}

/**
 * Every documented answer for one condition: the one above first, then the competing claims other documents give
 * (a guide's 401 for a missing key where the error table says 400). A gateway following any of them passes.
 */
export function expectedAuthAnswers(spec: ProviderSpec, condition: AuthConditionName): ExpectedAuthAnswer[] {
  const others = spec.x.auth.conditions?.[condition]?.otherClaims ?? [];
  return [
    expectedAuthAnswer(spec, condition),
    ...others.map((c) => ({
      status: c.status,
      code: c.code,
      inferred: Boolean(c.inferred || c.source.inferred),
      source: c.source,
    })),
  ];
}

/** Conditions a client can be tested for under this scheme: token lifetimes exist only for minted tokens. */
export function authConditions(spec: ProviderSpec): AuthConditionName[] {
  const jwt = spec.x.auth.credential.kind === 'jwt';
  return [
    'missing',
    'wrongKey',
    ...(spec.x.auth.prefix.trim() || jwt ? (['malformed'] as const) : []),
    ...(jwt ? (['expired', 'notYetValid'] as const) : []),
  ];
}

/** The environment variables a live run reads the credential from (a key, or an access key and a secret key). */
export function credentialEnv(spec: ProviderSpec): { key: string; secret?: string } {
  const c = spec.x.auth.credential;
  return c.kind === 'jwt' ? { key: c.accessKeyEnv, secret: c.secretKeyEnv } : { key: c.env };
}

/** Teaches redaction this provider's header prefix, so a credential after it is masked even when never registered. */
export function registerAuthRedaction(spec: ProviderSpec): void {
  registerAuthPrefix(spec.x.auth.prefix);
}
