import { literalAdviceAdapter } from '../../client/client-adapter.ts';
import { dedupeKey } from '../../spec/dedupe-key.ts';
import { isInferred } from '../../spec/claims.ts';
import type { ProviderSpec, RetryAdvice } from '../../spec/model.ts';
import { observeRetries, RETRY_EPOCH_MS, type RetryObservation } from '../probes/retry-probe.ts';
import { sourceText } from '../sources.ts';
import type { CheckContext, CheckDefinition, Finding, Verdict } from '../types.ts';

/**
 * Retry semantics of the judged client (the reference client, or yours via --client) against scripted mock
 * faults in virtual time. Every expectation comes from the spec's retry advice; each finding says whether it rests
 * on the document or on our reading (inferred: a warning unless --strict).
 */

const advice = (spec: ProviderSpec, status: number): RetryAdvice | undefined => spec.x.retry[String(status)];
/** the top of the jitter draw: a client's wait with it reaches the documented delay */
const TOP = 1 - 1e-9;
const ok = (s?: number) => s !== undefined && s >= 200 && s < 300;

interface Basis {
  whole: boolean;
  count: boolean;
  delays: boolean;
  tolerance: boolean;
}
const basis = (a: RetryAdvice, spec?: ProviderSpec): Basis => {
  const whole = spec ? isInferred(spec.x, a.source) : Boolean(a.source.inferred);
  return {
    whole,
    count: whole || Boolean(a.countInferred),
    delays: whole || Boolean(a.delaysInferred),
    tolerance: whole || Boolean(a.jitterTolerance?.inferred) || !a.jitterTolerance,
  };
};
const band = (a: RetryAdvice) => a.jitterTolerance ?? { minFactor: 1, maxFactor: 1 };
const observed = (runs: RetryObservation[]) =>
  runs.map((r) => ({
    random: r.random,
    attempts: r.attempts,
    sleepsMs: r.sleeps,
    finalStatus: r.finalStatus ?? r.error,
    tasksCreated: r.tasksCreated,
  }));

function verdict(
  spec: ProviderSpec,
  status: number,
  runs: RetryObservation[],
  findings: Finding[],
  expected: unknown,
  summary: string,
): Verdict {
  const a = advice(spec, status);
  const source = sourceText(spec, a?.source);
  const failing = findings.filter((f) => f.kind !== 'undocumented');
  for (const f of findings) f.source ??= source;
  const hung = runs.find((r) => r.error && r.finalStatus === undefined && r.attempts === 0);
  if (hung)
    return {
      status: 'error',
      message: `${hung.client}: ${hung.error}`,
      expected,
      observed: observed(runs),
      source,
      findings: [{ kind: 'evidence', message: hung.error! }],
    };
  return {
    status: failing.length ? 'fail' : 'pass',
    message: `${runs[0]!.client}: ${failing.length ? failing.map((f) => f.message).join('; ') : summary}`,
    expected,
    observed: observed(runs),
    source,
    findings,
    warnings: a?.inferred ? [`the advice is partly our reading: ${a.inferred}`] : undefined,
  };
}

function retryCheck(
  id: string,
  title: string,
  probe: (ctx: CheckContext) => Promise<RetryObservation[]>,
  evaluate: (spec: ProviderSpec, runs: RetryObservation[]) => Verdict,
  applies?: (spec: ProviderSpec) => string | undefined,
): CheckDefinition<RetryObservation[]> {
  return {
    id,
    family: 'retry',
    title,
    cost: 'free',
    target: 'mock',
    notApplicable: (spec) =>
      spec.x.availability.state === 'not_available' ? 'the model is documented as not available yet' : applies?.(spec),
    probe,
    evaluate,
  };
}

const one = (scenario: (spec: ProviderSpec) => string) => async (ctx: CheckContext) => [
  await observeRetries(ctx, scenario(ctx.spec)),
];
const documentsRetry = (status: number) => (spec: ProviderSpec) =>
  advice(spec, status)?.retry ? undefined : `the provider documents no retry for ${status}`;
const repeat = (step: string, n: number) => Array.from({ length: n }, () => step).join(',');

const noRetry = (status: 400 | 401) =>
  retryCheck(
    `retry.${status}.no_retry`,
    `a ${status} is not retried (the documented advice: fix, then retry)`,
    one(() => `${status},ok,ok`),
    (spec, [r]) => {
      const a = advice(spec, status);
      const inferred = a ? basis(a, spec).whole : true;
      const findings: Finding[] = [];
      if (r!.attempts !== 1)
        findings.push({
          kind: 'retry',
          message: `sent ${r!.attempts} requests for one ${status}`,
          expected: 1,
          observed: r!.attempts,
          inferred,
        });
      if (r!.finalStatus !== status)
        findings.push({
          kind: 'retry',
          message: `ended with ${r!.finalStatus ?? r!.error}, expected the ${status} itself`,
          expected: status,
          observed: r!.finalStatus,
          inferred,
        });
      return verdict(spec, status, [r!], findings, { attempts: 1, finalStatus: status }, `gave up after one ${status}`);
    },
    (spec) => (advice(spec, status) ? undefined : `the provider documents no advice for ${status}`),
  );

/** Judges the waits of one or two runs (jitter draw pinned low and high) against the documented delays. */
function scheduleFindings(spec: ProviderSpec, a: RetryAdvice, runs: RetryObservation[], retries: number): Finding[] {
  const b = basis(a, spec);
  const { minFactor, maxFactor } = band(a);
  const delays = a.delaysMs ?? [];
  const findings: Finding[] = [];
  for (const r of runs) {
    r.sleeps.slice(0, retries).forEach((ms, i) => {
      const d = delays[Math.min(i, delays.length - 1)]!;
      if (ms < d * minFactor - 1)
        findings.push({
          kind: 'retry',
          message: `wait ${i + 1} was ${ms} ms, below ${Math.round(d * minFactor)} ms (documented ${d} ms)`,
          expected: d,
          observed: ms,
          inferred: b.delays || b.tolerance,
        });
      if (ms > d * maxFactor + 1)
        findings.push({
          kind: 'retry',
          message:
            `wait ${i + 1} was ${ms} ms, above ${Math.round(d * maxFactor)} ms (documented ` +
            `${d} ms${a.jitter ? ' with jitter' : ''})`,
          expected: d,
          observed: ms,
          inferred: b.delays || b.tolerance,
        });
    });
  }
  const high = runs.find((r) => r.random === TOP) ?? runs[0]!;
  high.sleeps.slice(0, retries).forEach((ms, i) => {
    const d = delays[Math.min(i, delays.length - 1)]!;
    if (ms < d * 0.99)
      findings.push({
        kind: 'retry',
        message: `with the jitter draw at its top, wait ${i + 1} was ${ms} ms: the documented delay is ${d} ms`,
        expected: d,
        observed: ms,
        inferred: b.delays,
      });
  });
  if (
    a.backoff &&
    high.sleeps.length > 1 &&
    !high.sleeps.slice(0, retries).some((ms, i, all) => i > 0 && ms > all[i - 1]!)
  ) {
    findings.push({
      kind: 'retry',
      message: `the waits do not grow (${high.sleeps.join(' / ')} ms): the documents ask for backoff`,
      observed: high.sleeps,
      inferred: b.whole,
    });
  }
  return dedupe(findings);
}
const dedupe = (fs: Finding[]) => [...new Map(fs.map((f) => [f.message, f])).values()];

const delays = (spec: ProviderSpec, status: number) => advice(spec, status)?.delaysMs ?? [];
const lowAndHigh = (scenario: (spec: ProviderSpec) => string) => async (ctx: CheckContext) => [
  await observeRetries(ctx, scenario(ctx.spec), { random: 0 }),
  await observeRetries(ctx, scenario(ctx.spec), { random: TOP }),
];

export const retryChecks: CheckDefinition<RetryObservation[]>[] = [
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
  ),
  retryCheck(
    'retry.500.retries',
    'a 500 (nothing created) is retried as documented — or, for a create with no ' +
      'documented idempotency key, safely not retried',
    lowAndHigh(() => '500,500,ok'),
    (spec, runs) => {
      const a = advice(spec, 500)!;
      const b = basis(a, spec);
      const findings: Finding[] = [];
      const noKey = !dedupeKey(spec);
      const declined = runs.every((r) => r.attempts === 1 && r.finalStatus === 500);
      if (noKey && declined) {
        return {
          ...verdict(
            spec,
            500,
            runs,
            [],
            { attempts: 3 },
            'did not retry a create that has no documented idempotency key (safe: a 500 may ' +
              'come after the task was made)',
          ),
          warnings: ['the documents advise retrying 500, but a create has no idempotency key: see retry.500.advice'],
        };
      }
      for (const r of runs) {
        if (r.attempts !== 3)
          findings.push({
            kind: 'retry',
            message: `sent ${r.attempts} requests for two 500s then ok, expected 3`,
            expected: 3,
            observed: r.attempts,
            inferred: b.count && r.attempts >= 1 + (a.minRetries ?? 0),
          });
        if (!ok(r.finalStatus))
          findings.push({ kind: 'retry', message: `ended with ${r.finalStatus ?? r.error}`, inferred: b.count });
      }
      findings.push(...scheduleFindings(spec, a, runs, 2));
      return verdict(
        spec,
        500,
        runs,
        dedupe(findings),
        { attempts: 3, sleepsMs: a.delaysMs?.slice(0, 2) },
        `retried twice (${runs.map((r) => r.sleeps.join(' / ')).join(' | ')} ms) and succeeded`,
      );
    },
    documentsRetry(500),
  ),
  retryCheck(
    'retry.500.limit',
    'retries of 500 stop at the documented limit, each after at least the documented delay',
    one(() => `${repeat('500', 20)},ok`),
    (spec, [r]) => {
      const a = advice(spec, 500)!;
      const b = basis(a, spec);
      const max = a.delaysMs!.length;
      const findings: Finding[] = [];
      if (r!.attempts > max + 1)
        findings.push({
          kind: 'retry',
          message: `sent ${r!.attempts} requests for a run of 500s: the documents allow at most ${max} retries`,
          expected: `<= ${max + 1}`,
          observed: r!.attempts,
          inferred: b.count,
        });
      if (ok(r!.finalStatus))
        findings.push({
          kind: 'retry',
          message: `kept retrying until the 21st attempt succeeded`,
          expected: 500,
          observed: r!.finalStatus,
          inferred: b.count,
        });
      const floor = Math.min(...a.delaysMs!) * band(a).minFactor;
      const short = r!.sleeps.filter((ms) => ms < Math.max(floor, 1) - 1);
      if (short.length)
        findings.push({
          kind: 'retry',
          message:
            `${short.length} retr${short.length === 1 ? 'y' : 'ies'} after ${short[0]} ms: ` +
            `the documented delay is at least ${Math.min(...a.delaysMs!)} ms`,
          expected: Math.min(...a.delaysMs!),
          observed: short,
          inferred: b.delays,
        });
      if (a.backoff && r!.attempts > 2 && !r!.sleeps.some((ms, i, all) => i > 0 && ms > all[i - 1]!))
        findings.push({
          kind: 'retry',
          message:
            `the waits do not grow (${r!.sleeps.slice(0, 5).join(' / ') || 'none'} ms): the ` +
            `documents ask for backoff`,
          observed: r!.sleeps.slice(0, 10),
          inferred: b.whole,
        });
      return verdict(
        spec,
        500,
        [r!],
        findings,
        { maxAttempts: max + 1, finalStatus: 500 },
        `gave up after ${r!.attempts} attempt(s) (${r!.sleeps.join(' / ') || 'no'} ms)`,
      );
    },
    documentsRetry(500),
  ),
  retryCheck(
    'retry.500.no_duplicate',
    'a create that got a 500 after its task was made leaves one task, however the client retries',
    one(() => 'commit-500,ok'),
    (spec, [r]) => {
      const findings: Finding[] = [];
      if (r!.tasksCreated > 1) {
        findings.push({
          kind: 'retry',
          message: `${r!.tasksCreated} tasks exist after one logical create${
            dedupeKey(spec)
              ? ` (send ${dedupeKey(spec)} on every retry)`
              : ' (the provider documents no key that deduplicates creates: do not retry a create after a 500)'
          }`,
          expected: 1,
          observed: r!.tasksCreated,
        });
      }
      return {
        ...verdict(
          spec,
          500,
          [r!],
          findings,
          { tasksCreated: 1 },
          r!.attempts > 1 ? 'the retry reused the task (idempotency key)' : 'did not retry the create',
        ),
        source: sourceText(spec, spec.x.idempotency?.source ?? advice(spec, 500)?.source),
      };
    },
    documentsRetry(500),
  ),
  retryCheck(
    'retry.500.advice',
    "the provider's documented 500 advice, followed literally on a create, does not " +
      'bill twice (a finding about the documents)',
    async (ctx) => [await observeRetries(ctx, 'commit-500,ok', { adapter: literalAdviceAdapter })],
    (spec, [r]) => {
      const source = sourceText(spec, advice(spec, 500)?.source);
      if (r!.tasksCreated <= 1)
        return {
          status: 'pass',
          message:
            `following the advice literally left ${r!.tasksCreated} ` +
            `task${dedupeKey(spec) ? ` (the documented ${dedupeKey(spec)} deduplicates)` : ''}`,
          observed: observed([r!]),
          source,
        };
      const message =
        `following the documented advice (retry a 500) on a create made ` +
        `${r!.tasksCreated} tasks: the documents name no key that deduplicates creates, ` +
        `so a client that obeys them can be billed twice`;
      return {
        status: 'warn',
        message,
        observed: observed([r!]),
        source,
        findings: [{ kind: 'document', message, expected: 1, observed: r!.tasksCreated, source }],
      };
    },
    documentsRetry(500),
  ),
];
