import type { Claim, Source } from './model.ts';

// The answers that refuse or fail a request: documented errors, the retry advice for each, and rate limits
// (x-conformance errors, retry, rateLimit).

export interface ErrorDecl {
  /** absent where the documents name the status but no code */
  code?: Claim<string | number>[];
  /** further codes the same documents give for this status, all valid (not competing claims) */
  otherCodes?: { value: string | number; source: Source; inferred?: boolean }[];
  body: Record<string, unknown>;
  documentedOnly?: boolean;
  /** where the body template's shape comes from, and why it is our reading where it is */
  source?: Source;
  inferred?: string;
}

export interface RetryAdvice {
  retry: boolean;
  delaysMs?: number[];
  minRetries?: number;
  jitter?: boolean;
  retryAfter?: boolean;
  afterFix?: 'api_key' | 'payload';
  /** why parts of this advice are our reading */
  inferred?: string;
  /** the document says the waits grow */
  backoff?: boolean;
  delaysInferred?: boolean;
  countInferred?: boolean;
  /** a wait may lie within [minFactor, maxFactor] × the delay; with the jitter draw at its top it reaches the delay */
  jitterTolerance?: { minFactor: number; maxFactor: number; inferred?: string; source: Source };
  /** a longer Retry-After is not waited out */
  retryAfterCapMs?: number;
  retryAfterCapInferred?: string;
  source: Source;
}

export interface Rate {
  perSecond?: number;
  perMinute?: number;
  burst?: number;
}

/**
 * Whose requests one rate limit counts: one user's (every key and client of the account), one API key's, or one
 * client's; and whether a request answered 429 counts (absent: the documents do not say).
 */
export interface RateScope {
  per: 'user' | 'key' | 'client';
  countsRejected?: boolean;
  source: Source;
}
