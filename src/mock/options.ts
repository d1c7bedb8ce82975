import type { Clock } from '../core/clock.ts';
import type { ClaimChoice } from '../spec/model.ts';

/**
 * Deliberate departures from the documented behaviour. Each breaks exactly one thing, so a test can show
 * that the check for that thing fails (a check that cannot fail proves nothing).
 */
export interface MockDeviations {
  /** serve these values instead of the documented defaults, e.g. { duration: 7 } */
  defaults?: Record<string, unknown>;
  /** validation findings to ignore: body pointer patterns with `*` for any array index, optionally `keyword@pattern`, e.g. "const@/contents/*\/type" */
  unenforced?: string[];
  /** accept any request without checking the Authorization header */
  acceptAnyKey?: boolean;
  /** create a task even when the request is rejected */
  createTaskOnReject?: boolean;
  /** treat every create as new even when the idempotency key repeats */
  ignoreIdempotencyKey?: boolean;
  /** report task phases under other status words, e.g. { running: 'running' } (undocumented) or swapped words */
  phaseWords?: Partial<Record<'initial' | 'running' | 'succeeded' | 'failed', string>>;
  /** no task ever reaches a terminal status */
  neverFinish?: boolean;
  /** overwrite one value in every rendered create or poll body (breaks the documented shape) */
  responsePatch?: { operation: 'create' | 'poll'; pointer: string; value: unknown };
  /** serve these settings whatever was requested, e.g. { aspect_ratio: '2:1' } (a gateway that ignores your choice) */
  forceSettings?: Record<string, unknown>;
  /** create tasks for a model documented as not available */
  serveUnavailableModel?: boolean;
  /** answer errors with a bare { message } instead of the documented envelope */
  undocumentedErrorShape?: boolean;
  /** result links expire after this many seconds instead of the documented lifetime */
  linkLifetimeSeconds?: number;
  /** answer 429 without Retry-After / rate-limit headers */
  omitRetryAfter?: boolean;
}

export interface MockOptions {
  /** where documents disagree on behaviour (defaults, link lifetime, error codes): follow the claim marked for the mock, or the other one. Default 'mock'. */
  claims?: ClaimChoice;
  /** where documents disagree on what is valid (x-conformance.alternatives: ranges, enums, model id). Default 'mock'. */
  schemaClaims?: ClaimChoice;
  /** keys that authenticate; default: any non-empty Bearer token */
  validKeys?: string[];
  /** time source; default a VirtualClock starting now (nothing sleeps; advance it from tests or /__mock/clock) */
  clock?: Clock & { advance?(ms: number): void };
  /** tasks end after this many polls (default 3: initial, running, terminal) unless `completeAfterMs` is set */
  completeAfterPolls?: number;
  /** tasks end after this much (virtual) time instead of after N polls */
  completeAfterMs?: number;
  /** enforce the documented rate limits (default false: suites poll freely) */
  rateLimit?: boolean;
  /** seconds in Retry-After on a scripted 429 (default 1) */
  retryAfterSeconds?: number;
  /** allow http:// and loopback callback URLs even where the provider forbids them (default false) */
  allowLoopbackCallbacks?: boolean;
  /** request bodies larger than this get 413 (default 1 MiB) */
  bodyLimitBytes?: number;
  deviations?: MockDeviations;
}

export const MOCK_DEFAULTS = { completeAfterPolls: 3, retryAfterSeconds: 1, bodyLimitBytes: 1024 * 1024 } as const;
