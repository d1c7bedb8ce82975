import { isInferred } from './claims.ts';
import type { ProviderSpec } from './model.ts';
import type { RetryAdvice } from './error-model.ts';

/**
 * The documents prescribe jitter: the advice adds it, rests on a document (not our reading), and its quoted words
 * ask for it (ToAPIs: "exponential backoff (e.g., 1s/2s/4s) with jitter"). Elsewhere jitter is our reading.
 */
export const jitterDocumented = (spec: ProviderSpec, a: RetryAdvice | undefined): boolean =>
  Boolean(a?.jitter) && !isInferred(spec.x, a!.source) && /jitter/i.test(a!.source.part ?? '');
