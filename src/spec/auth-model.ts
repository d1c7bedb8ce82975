import type { Source } from './model.ts';

// How a request authenticates and how it fails to (x-conformance auth).

/** One documented way a request fails authentication, and the answer it gets. */
export interface AuthCondition {
  status: number;
  code?: string | number;
  inferred?: boolean;
  source: Source;
  /** competing answers other documents give for the same condition (a guide's 401 vs an error table's 400) */
  otherClaims?: { status: number; code?: string | number; inferred?: boolean; source: Source }[];
}

export type AuthConditionName = 'missing' | 'malformed' | 'wrongKey' | 'expired' | 'notYetValid';

/** How a request authenticates: read by the mock, the client, curl repros and redaction. */
export interface AuthScheme {
  header: string;
  /** text before the credential in the header value, e.g. "Bearer " or "Key " (may be empty) */
  prefix: string;
  credential:
    | { kind: 'static'; env: string }
    | {
        kind: 'jwt';
        algorithm: 'HS256' | 'HS384' | 'HS512';
        accessKeyEnv: string;
        secretKeyEnv: string;
        issuerClaim: string;
        lifetimeSeconds: number;
        notBeforeSkewSeconds?: number;
        typ?: string;
      };
  conditions?: Partial<Record<AuthConditionName, AuthCondition>>;
  source: Source;
}
