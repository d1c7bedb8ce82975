import type { Exchange } from './exchange.ts';
import { DEFAULT_RETRY_AFTER_CAP_MS, TRANSIENT_ERROR_CODES } from './retry-policy.ts';

/** A 429 or a 5xx other than 501, or a connection that dropped: capacity or network, not the contract. */
export function isTransientAnswer(e: Pick<Exchange, 'status' | 'error'>): boolean {
  if (e.status !== undefined) return e.status === 429 || (e.status >= 500 && e.status !== 501);
  return TRANSIENT_ERROR_CODES.includes(e.error?.code ?? '');
}

/** A Retry-After of delay seconds, capped at the reference client's limit (0 when absent or a date). */
export const cappedRetryAfterMs = (header: string | undefined): number =>
  header && /^\d+$/.test(header.trim()) ? Math.min(Number(header.trim()) * 1000, DEFAULT_RETRY_AFTER_CAP_MS) : 0;
