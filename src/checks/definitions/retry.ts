import type { RetryObservation } from '../probes/retry-probe.ts';
import type { CheckDefinition } from '../types.ts';
import { retry4xxChecks } from './retry-4xx-429.ts';
import { retry500Checks } from './retry-500.ts';

/**
 * Retry semantics of the judged client (the reference client, or yours via --client) against scripted mock
 * faults in virtual time. Every expectation comes from the spec's retry advice; each finding says whether it rests
 * on the document or on our reading (inferred: a warning unless --strict). How they observe and judge:
 * retry-judging.ts; the checks: retry-4xx-429.ts (400, 401, 429) and retry-500.ts.
 */
export const retryChecks: CheckDefinition<RetryObservation[]>[] = [...retry4xxChecks, ...retry500Checks];
