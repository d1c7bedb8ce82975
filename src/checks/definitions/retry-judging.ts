import { isInferred } from '../../spec/claims.ts';
import { jitterDocumented } from '../../spec/jitter.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { RetryAdvice } from '../../spec/error-model.ts';
import { observeRetries, type RetryObservation } from '../probes/retry-probe.ts';
import { sourceText } from '../sources.ts';
import type { CheckContext, CheckDefinition, Finding, Verdict } from '../types.ts';
import type { Breaker } from '../breakers.ts';

/**
 * How the retry checks observe and judge: the spec's advice for a status, what it rests on (document or our
 * reading), the tolerance band for jittered delays, the verdict over the observed runs, and the scenarios (one run,
 * or two at the low and high end of the jitter). The checks themselves are in retry-4xx-429.ts and retry-500.ts.
 */
export const advice = (spec: ProviderSpec, status: number): RetryAdvice | undefined => spec.x.retry[String(status)];
/** the top of the jitter draw: a client's wait with it reaches the documented delay */
const TOP = 1 - 1e-9;
export const ok = (s?: number) => s !== undefined && s >= 200 && s < 300;

interface Basis {
  whole: boolean;
  count: boolean;
  delays: boolean;
  tolerance: boolean;
}
export const basis = (a: RetryAdvice, spec?: ProviderSpec): Basis => {
  const whole = spec ? isInferred(spec.x, a.source) : Boolean(a.source.inferred);
  return {
    whole,
    count: whole || Boolean(a.countInferred),
    delays: whole || Boolean(a.delaysInferred),
    tolerance: whole || Boolean(a.jitterTolerance?.inferred) || !a.jitterTolerance,
  };
};
export const band = (a: RetryAdvice) => a.jitterTolerance ?? { minFactor: 1, maxFactor: 1 };
export const observed = (runs: RetryObservation[]) =>
  runs.map((r) => ({
    random: r.random,
    attempts: r.attempts,
    answers: r.answers,
    sleepsMs: r.sleeps,
    finalStatus: r.finalStatus ?? r.error,
    tasksCreated: r.tasksCreated,
  }));

export function verdict(
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

export function retryCheck(
  id: string,
  title: string,
  probe: (ctx: CheckContext) => Promise<RetryObservation[]>,
  evaluate: (spec: ProviderSpec, runs: RetryObservation[]) => Verdict,
  applies?: (spec: ProviderSpec) => string | undefined,
  /** how the proof that it can fail breaks it: a client that departs from the advice (or why it never fails) */
  breaking: Pick<CheckDefinition, 'breakers' | 'neverFails'> = {},
): CheckDefinition<RetryObservation[]> {
  return {
    ...breaking,
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

export const one = (scenario: (spec: ProviderSpec) => string) => async (ctx: CheckContext) => [
  await observeRetries(ctx, scenario(ctx.spec)),
];
export const documentsRetry = (status: number) => (spec: ProviderSpec) =>
  advice(spec, status)?.retry ? undefined : `the provider documents no retry for ${status}`;
export const repeat = (step: string, n: number) => Array.from({ length: n }, () => step).join(',');

export const noRetry = (status: 400 | 401) =>
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
    { breakers: () => [NAIVE_RETRY] },
  );

/** a client that retries every failure 5 times, 100 ms apart, without Retry-After or an idempotency key */
export const NAIVE_RETRY: Breaker = { client: 'naive-retry-adapter' };
/** a client that retries every 429 and 500 after a constant 1 s, whatever the advice and Retry-After say */
export const CONSTANT_WAIT: Breaker = { client: 'constant-wait-adapter' };
/** a client that retries a 500 at once until something else comes back */
export const ENDLESS_RETRY: Breaker = { client: 'endless-retry-adapter' };

/** Judges the waits of one or two runs (jitter draw pinned low and high) against the documented delays. */
export function scheduleFindings(
  spec: ProviderSpec,
  a: RetryAdvice,
  runs: RetryObservation[],
  retries: number,
): Finding[] {
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
  findings.push(...jitterFindings(spec, a, runs, retries));
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
/**
 * Jitter prescribed: two draws of env.random (low and high) must give different waits. Documented where the advice's
 * own quoted words ask for it (ToAPIs: "with jitter"); elsewhere `jitter` is our reading and its absence warns.
 */
function jitterFindings(spec: ProviderSpec, a: RetryAdvice, runs: RetryObservation[], retries: number): Finding[] {
  const low = runs.find((r) => r.random === 0);
  const high = runs.find((r) => r.random === TOP);
  if (!a.jitter || !low || !high || low.sleeps.length === 0) return [];
  const same = low.sleeps.slice(0, retries).every((ms, i) => Math.abs(ms - (high.sleeps[i] ?? Number.NaN)) < 1);
  if (!same) return [];
  const documented = jitterDocumented(spec, a);
  return [
    {
      kind: 'retry',
      message:
        `two draws of env.random gave the same waits (${low.sleeps.join(' / ')} ms): no jitter, ` +
        `though ${documented ? 'the documents prescribe it' : 'our reading of the advice adds it'}`,
      observed: { low: low.sleeps, high: high.sleeps },
      inferred: !documented,
    },
  ];
}

export const dedupe = (fs: Finding[]) => [...new Map(fs.map((f) => [f.message, f])).values()];

export const delays = (spec: ProviderSpec, status: number) => advice(spec, status)?.delaysMs ?? [];
export const lowAndHigh = (scenario: (spec: ProviderSpec) => string) => async (ctx: CheckContext) => [
  await observeRetries(ctx, scenario(ctx.spec), { random: 0 }),
  await observeRetries(ctx, scenario(ctx.spec), { random: TOP }),
];
