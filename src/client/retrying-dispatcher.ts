import { RetryAgent, type Agent, type Dispatcher } from 'undici';
import type { Clock } from '../core/clock.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { Exchange } from './exchange.ts';
import { adviceKey, decideRetry } from './retry-policy.ts';

/**
 * undici's RetryAgent with its `retry` hook deciding from the spec's advice (retry-policy.ts) and sleeping on the
 * given clock; every answer retried is recorded on the exchange, named (method, URL, status or error code, which try
 * it was, and the delay waited).
 */
export function retryingDispatcher(
  agent: Agent,
  spec: ProviderSpec,
  exchange: Exchange,
  options: { idempotent: boolean; clock: Clock; random?: () => number; retryUnsafePost?: boolean },
): Dispatcher {
  const advice = spec.x.retry;
  const random = options.random ?? Math.random;
  // undici counts every retry in one counter; the advice is per status, so each kind is counted on its own
  const attempts = new Map<string, number>();
  return new RetryAgent(agent, {
    throwOnError: false,
    maxRetries: 100,
    methods: ['GET', 'POST', 'PUT', 'DELETE'],
    retry: (err, { opts }, cb) => {
      const e = err as Error & { statusCode?: number; code?: string; headers?: Record<string, string | string[]> };
      const retryAfter = e.headers?.['retry-after'];
      const requestId = e.headers?.['x-request-id'];
      const errorCode = e.statusCode === undefined ? e.code : undefined;
      const key = adviceKey(advice, e.statusCode, errorCode) ?? 'none';
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      const decision = decideRetry(advice, {
        status: e.statusCode,
        errorCode,
        attempt: attempts.get(key)!,
        method: String(opts.method),
        idempotent: options.idempotent,
        retryAfterHeader: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        now: options.clock.now(),
        random: random(),
        retryUnsafePost: options.retryUnsafePost,
      });
      if (!decision.retry) return cb(err);
      exchange.retries.push({
        method: exchange.method,
        url: exchange.url,
        status: e.statusCode,
        code: e.statusCode === undefined ? e.code : undefined,
        attempt: exchange.retries.length + 1,
        delayMs: decision.delayMs,
        ...(typeof requestId === 'string' ? { requestId } : {}),
      });
      void options.clock.sleep(decision.delayMs).then(() => cb(null));
      return null;
    },
  });
}
