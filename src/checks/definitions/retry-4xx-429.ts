import { observeRetries, RETRY_EPOCH_MS, type RetryObservation } from '../probes/retry-probe.ts';
import type { CheckDefinition, Finding } from '../types.ts';
import {
  advice,
  ok,
  basis,
  band,
  verdict,
  retryCheck,
  one,
  documentsRetry,
  repeat,
  noRetry,
  scheduleFindings,
  dedupe,
  delays,
  lowAndHigh,
  NAIVE_RETRY,
  CONSTANT_WAIT,
} from './retry-judging.ts';

/** Retry checks for 400 and 401 (never retried) and 429 (backoff, Retry-After, the give-up point). */
export const retry4xxChecks: CheckDefinition<RetryObservation[]>[] = [
  noRetry(400),
  noRetry(401),
  retryCheck(
    'retry.429.backoff',
    'a 429 without Retry-After is retried on the documented backoff schedule, within the documented jitter',
    lowAndHigh((spec) => `${repeat('429', delays(spec, 429).length)},ok`),
    (spec, runs) => {
      const a = advice(spec, 429)!;
      const n = a.delaysMs!.length;
      const b = basis(a, spec);
      const findings: Finding[] = [];
      for (const r of runs) {
        if (!ok(r.finalStatus))
          findings.push({
            kind: 'retry',
            message: `ended with ${r.finalStatus ?? r.error} instead of succeeding after ${n} retries`,
            expected: n,
            observed: r.attempts - 1,
            inferred: b.count,
          });
        if (r.sleeps.length !== n)
          findings.push({
            kind: 'retry',
            message: `waited ${r.sleeps.length} times, expected ${n}`,
            expected: n,
            observed: r.sleeps.length,
            inferred: b.count,
          });
      }
      findings.push(...scheduleFindings(spec, a, runs, n));
      return verdict(
        spec,
        429,
        runs,
        dedupe(findings),
        { sleepsMs: a.delaysMs, jitter: a.jitterTolerance },
        `waited ${runs.map((r) => r.sleeps.join(' / ')).join(' | ')} ms then succeeded`,
      );
    },
    documentsRetry(429),
    // a client that waits the same whatever the schedule; where a jitter is documented, one that draws none
    {
      breakers: (spec) => [
        CONSTANT_WAIT,
        ...(advice(spec, 429)?.jitterTolerance ? [{ client: 'no-jitter-adapter' } as const] : []),
      ],
    },
  ),
  retryCheck(
    'retry.429.retry_after',
    'a 429 waits its Retry-After (seconds, or an HTTP-date on the client clock) and does not wait out an absurd one',
    async (ctx) => {
      const atSeconds = RETRY_EPOCH_MS / 1000 + 9;
      return [
        await observeRetries(ctx, '429:7,ok'),
        await observeRetries(ctx, `429@${atSeconds},ok`),
        await observeRetries(ctx, '429:86400,ok'),
      ];
    },
    (spec, runs) => {
      const a = advice(spec, 429)!;
      const [secs, date, huge] = runs as [RetryObservation, RetryObservation, RetryObservation];
      const cap = a.retryAfterCapMs ?? 60_000;
      const findings: Finding[] = [];
      if ((secs.sleeps[0] ?? 0) < 7000)
        findings.push({
          kind: 'retry',
          message: `waited ${secs.sleeps[0] ?? 0} ms after Retry-After: 7`,
          expected: 7000,
          observed: secs.sleeps[0],
          inferred: basis(a, spec).whole,
        });
      if (!ok(secs.finalStatus))
        findings.push({
          kind: 'retry',
          message: `ended with ${secs.finalStatus ?? secs.error} after Retry-After: 7`,
          inferred: basis(a, spec).whole,
        });
      if ((date.sleeps[0] ?? 0) < 9000)
        findings.push({
          kind: 'retry',
          message:
            `waited ${date.sleeps[0] ?? 0} ms for an HTTP-date Retry-After 9 s ahead of the ` +
            `client's clock (read the date against the injected clock, not the wall clock)`,
          expected: 9000,
          observed: date.sleeps[0],
          inferred: basis(a, spec).whole,
        });
      if (date.sleeps[0] !== undefined && date.sleeps[0] > 9000 * band(a).maxFactor + 1000)
        findings.push({
          kind: 'retry',
          message: `waited ${date.sleeps[0]} ms for an HTTP-date 9 s ahead`,
          expected: 9000,
          observed: date.sleeps[0],
          inferred: basis(a, spec).whole,
        });
      const longest = Math.max(0, ...huge.sleeps);
      if (longest > cap)
        findings.push({
          kind: 'retry',
          message:
            `waited ${longest} ms for Retry-After: 86400; more than ${cap} ms should not be ` +
            `waited out inside one call`,
          expected: `<= ${cap}`,
          observed: longest,
          inferred: Boolean(a.retryAfterCapInferred) || basis(a, spec).whole,
        });
      return verdict(
        spec,
        429,
        runs,
        findings,
        { secondsMs: '>= 7000', httpDateMs: '>= 9000', capMs: cap },
        `waited ${secs.sleeps[0]} ms (7 s), ${date.sleeps[0]} ms (HTTP-date +9 s), gave up or capped on 1 day`,
      );
    },
    (spec) => (advice(spec, 429)?.retryAfter ? undefined : 'the provider does not document Retry-After on 429'),
    { breakers: () => [CONSTANT_WAIT] },
  ),
  retryCheck(
    'retry.429.limit',
    'retries of 429 stop at the documented limit',
    one((spec) => `${repeat('429', delays(spec, 429).length + 2)},ok`),
    (spec, [r]) => {
      const a = advice(spec, 429)!;
      const limit = a.delaysMs!.length;
      const findings: Finding[] = [];
      if (r!.attempts !== limit + 1)
        findings.push({
          kind: 'retry',
          message: `sent ${r!.attempts} requests, expected ${limit + 1} (1 + ${limit} retries)`,
          expected: limit + 1,
          observed: r!.attempts,
          inferred: basis(a, spec).count,
        });
      if (r!.finalStatus !== 429)
        findings.push({
          kind: 'retry',
          message: `ended with ${r!.finalStatus ?? r!.error}, expected to give up with the 429`,
          expected: 429,
          observed: r!.finalStatus,
          inferred: basis(a, spec).count,
        });
      return verdict(
        spec,
        429,
        [r!],
        findings,
        { attempts: limit + 1, finalStatus: 429 },
        `gave up after ${r!.attempts} attempts`,
      );
    },
    documentsRetry(429),
    { breakers: () => [NAIVE_RETRY] },
  ),
];
