import { describe, expect, it } from 'vitest';
import type { RetryAdvice } from '../spec/error-model.ts';
import { decideRetry, parseRetryAfter } from './retry-policy.ts';

const source = { ref: 's', part: 'p' };
const advice: Record<string, RetryAdvice> = {
  '400': { retry: false, source },
  '401': { retry: false, afterFix: 'api_key', source },
  '429': { retry: true, delaysMs: [1000, 2000, 4000], jitter: true, retryAfter: true, source },
  '500': { retry: true, delaysMs: [500, 500, 500], jitter: false, source },
};
const input = { method: 'POST', idempotent: false, random: 0 };

describe('decideRetry: the documented advice as a pure decision', () => {
  it('never retries 400 and 401', () => {
    expect(decideRetry(advice, { ...input, status: 400, attempt: 1 }).retry).toBe(false);
    expect(decideRetry(advice, { ...input, status: 401, attempt: 1 })).toMatchObject({
      retry: false,
      reason: expect.stringContaining('api_key'),
    });
  });

  it('backs 429 off 1 s / 2 s / 4 s, with up to 25% jitter, then stops', () => {
    expect([1, 2, 3].map((attempt) => decideRetry(advice, { ...input, status: 429, attempt }))).toMatchObject([
      { delayMs: 1000 },
      { delayMs: 2000 },
      { delayMs: 4000 },
    ]);
    expect(decideRetry(advice, { ...input, status: 429, attempt: 1, random: 1 })).toMatchObject({ delayMs: 1250 });
    expect(decideRetry(advice, { ...input, status: 429, attempt: 4 }).retry).toBe(false);
  });

  it('honours a longer Retry-After (seconds or HTTP date)', () => {
    expect(decideRetry(advice, { ...input, status: 429, attempt: 1, retryAfterHeader: '7' })).toMatchObject({
      delayMs: 7000,
    });
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 9)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(9000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  it('retries 500 and connection resets with the 500 advice (idempotent requests), and stops at its limit', () => {
    const safe = { ...input, idempotent: true };
    expect(decideRetry(advice, { ...safe, status: 500, attempt: 3 })).toMatchObject({ retry: true, delayMs: 500 });
    expect(decideRetry(advice, { ...safe, status: 500, attempt: 4 }).retry).toBe(false);
    expect(decideRetry(advice, { ...safe, errorCode: 'ECONNRESET', attempt: 1 })).toMatchObject({
      retry: true,
      delayMs: 500,
    });
    expect(decideRetry(advice, { ...safe, status: 503, attempt: 1 })).toMatchObject({ retry: true });
  });

  it(
    'does not blindly retry a POST without an idempotency key after a 5xx or a ' +
      'reset (it may bill twice); 429 is safe',
    () => {
      expect(decideRetry(advice, { ...input, status: 500, attempt: 1 })).toMatchObject({
        retry: false,
        reason: expect.stringContaining('idempotency'),
      });
      expect(decideRetry(advice, { ...input, errorCode: 'ECONNRESET', attempt: 1 }).retry).toBe(false);
      expect(decideRetry(advice, { ...input, status: 500, attempt: 1, retryUnsafePost: true }).retry).toBe(true);
      expect(decideRetry(advice, { ...input, status: 429, attempt: 1 }).retry).toBe(true);
    },
  );

  it('reads an HTTP-date Retry-After against the injected clock, and gives up past the cap', () => {
    const now = Date.UTC(2026, 0, 1);
    const date = new Date(now + 9000).toUTCString();
    expect(decideRetry(advice, { ...input, status: 429, attempt: 1, retryAfterHeader: date, now })).toMatchObject({
      retry: true,
      delayMs: 9000,
    });
    expect(decideRetry(advice, { ...input, status: 429, attempt: 1, retryAfterHeader: '86400', now })).toMatchObject({
      retry: false,
      reason: expect.stringContaining('cap'),
    });
    expect(
      decideRetry(
        { ...advice, '429': { ...advice['429']!, retryAfterCapMs: 100_000 } },
        { ...input, status: 429, attempt: 1, retryAfterHeader: '90', now },
      ),
    ).toMatchObject({ retry: true, delayMs: 90_000 });
  });
});
