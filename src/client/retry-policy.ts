import type { RetryAdvice } from '../spec/error-model.ts';

/** Network failures with no HTTP status are treated as the provider's 500 advice (transient). */
export const TRANSIENT_ERROR_CODES = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'];

/** Longest Retry-After the reference client waits out when the spec names no cap (60 s). */
export const DEFAULT_RETRY_AFTER_CAP_MS = 60_000;

export interface RetryInput {
  status?: number;
  errorCode?: string;
  /** 1 for the first failure of this kind (the advice's key: 429, 500…): counted per kind, not across kinds */
  attempt: number;
  method: string;
  /** the request carries the provider's idempotency key (a retried POST cannot create a second task) */
  idempotent: boolean;
  retryAfterHeader?: string;
  /** now on the client's clock (ms): an HTTP-date Retry-After is read against it, never the wall clock */
  now?: number;
  /** 0..1, for jitter */
  random: number;
  /**
   * retry a POST without an idempotency key after a 5xx or a dropped connection, where the task may already
   * exist (default false: following such advice literally can bill twice). A 429 is always safe to retry.
   */
  retryUnsafePost?: boolean;
}

export type RetryDecision = { retry: false; reason: string } | { retry: true; delayMs: number; reason: string };

/** The reference client's jitter: up to this share added to the base delay (1 s becomes 1-1.25 s). */
export const JITTER_RATIO = 0.25;

/** The advice that applies to a status or transport error, and the key its attempts are counted under. */
export function adviceKey(
  advice: Record<string, RetryAdvice>,
  status?: number,
  errorCode?: string,
): string | undefined {
  if (status !== undefined)
    return advice[String(status)] ? String(status) : status >= 500 && advice['500'] ? '500' : undefined;
  return TRANSIENT_ERROR_CODES.includes(errorCode ?? '') && advice['500'] ? '500' : undefined;
}

/**
 * The provider's documented retry advice as a decision: retry or not, and after how long.
 * Pure: the same inputs give the same answer, so it is unit-tested without any network or clock.
 */
export function decideRetry(advice: Record<string, RetryAdvice>, input: RetryInput): RetryDecision {
  const key = adviceKey(advice, input.status, input.errorCode);
  const rule = key ? advice[key] : undefined;
  if (!key || !rule) return { retry: false, reason: `no retry advice for ${input.status ?? input.errorCode}` };
  if (!rule.retry)
    return {
      retry: false,
      reason: `${key}: documented as not retryable${rule.afterFix ? ` until the ${rule.afterFix} is fixed` : ''}`,
    };
  if (input.method === 'POST' && !input.idempotent && key !== '429' && !input.retryUnsafePost) {
    return {
      retry: false,
      reason: `${key}: a POST without an idempotency key may already have created a task; not retried`,
    };
  }
  const delays = rule.delaysMs ?? [];
  if (input.attempt > delays.length) return { retry: false, reason: `${key}: retry limit (${delays.length}) reached` };
  const base = delays[input.attempt - 1]!;
  let delayMs = rule.jitter ? Math.round(base * (1 + JITTER_RATIO * input.random)) : base;
  const retryAfterMs = rule.retryAfter ? parseRetryAfter(input.retryAfterHeader, input.now ?? 0) : undefined;
  if (retryAfterMs !== undefined) {
    const cap = rule.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS;
    if (retryAfterMs > cap)
      return {
        retry: false,
        reason: `${key}: Retry-After asks for ${retryAfterMs} ms, more than the ${cap} ms cap; giving up`,
      };
    delayMs = Math.max(delayMs, retryAfterMs);
  }
  return { retry: true, delayMs, reason: `${key}: retry ${input.attempt}/${delays.length} after ${delayMs} ms` };
}

/** Retry-After as seconds or an HTTP date (read against `now`), in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
