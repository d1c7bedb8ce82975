import { backoffJitter } from './checks/jitter-check.ts';
import { firstFrame } from './checks/first-frame-check.ts';
import { authHeader, requestSchema } from './checks/request-checks.ts';
import { noBlindRetry, noDuplicateAfter500, retryLimit, waitAfter429 } from './checks/retry-checks.ts';
import { createRate, noExpiredFetch, noPollAfterTerminal, pollRate, tasksFinished } from './checks/task-checks.ts';
import { atBasis, type TrafficCheck } from './traffic-check.ts';

/**
 * Every traffic check, in report order: the registry `verify-client` and `proxy` run. Each judges at its basis: where
 * that is our reading (or not required), its findings are too, and warn unless --strict (atBasis).
 */
export const TRAFFIC_CHECKS: readonly TrafficCheck[] = [
  requestSchema,
  firstFrame,
  authHeader,
  noBlindRetry,
  waitAfter429,
  backoffJitter,
  retryLimit,
  noDuplicateAfter500,
  createRate,
  pollRate,
  noPollAfterTerminal,
  noExpiredFetch,
  tasksFinished,
].map(atBasis);
