import type { RetryAdvice } from '../spec/model.ts';

/** Network failures with no HTTP status are treated as the provider's 500 advice (transient). */
export const TRANSIENT_ERROR_CODES = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'];

export interface RetryInput {
  status?: number;
  errorCode?: string;
  /** 1 for the first failure */
  attempt: number;
  method: string;
  /** the request carries the provider's idempotency key (a retried POST cannot create a second task) */
  idempotent: boolean;
  retryAfterHeader?: string;
  /** 0..1, for jitter */
  random: number;
  /** retry a POST that has no idempotency key (the documented advice does not distinguish); default true */
  retryUnsafePost?: boolean;
}

export type RetryDecision = { retry: false; reason: string } | { retry: true; delayMs: number; reason: string };

/** Jitter adds up to this share of the base delay (1 s becomes 1-1.25 s). */
export const JITTER_RATIO = 0.25;

/**
 * The provider's documented retry advice as a decision: retry or not, and after how long.
 * Pure: the same inputs give the same answer, so it is unit-tested without any network or clock.
 */
export function decideRetry(advice: Record<string, RetryAdvice>, input: RetryInput): RetryDecision {
  const key = input.status !== undefined ? String(input.status) : TRANSIENT_ERROR_CODES.includes(input.errorCode ?? '') ? '500' : undefined;
  const rule = key ? (advice[key] ?? (input.status !== undefined && input.status >= 500 ? advice['500'] : undefined)) : undefined;
  if (!rule) return { retry: false, reason: `no retry advice for ${input.status ?? input.errorCode}` };
  if (!rule.retry) return { retry: false, reason: `${key}: documented as not retryable${rule.afterFix ? ` until the ${rule.afterFix} is fixed` : ''}` };
  if (input.method === 'POST' && !input.idempotent && input.retryUnsafePost === false) return { retry: false, reason: 'POST without an idempotency key' };
  const delays = rule.delaysMs ?? [];
  if (input.attempt > delays.length) return { retry: false, reason: `${key}: retry limit (${delays.length}) reached` };
  const base = delays[input.attempt - 1]!;
  let delayMs = rule.jitter ? Math.round(base * (1 + JITTER_RATIO * input.random)) : base;
  const retryAfterMs = rule.retryAfter ? parseRetryAfter(input.retryAfterHeader) : undefined;
  if (retryAfterMs !== undefined) delayMs = Math.max(delayMs, retryAfterMs);
  return { retry: true, delayMs, reason: `${key}: retry ${input.attempt}/${delays.length} after ${delayMs} ms` };
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (!Number.isNaN(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
