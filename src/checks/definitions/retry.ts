import { JITTER_RATIO } from '../../client/retry-policy.ts';
import type { ProviderSpec, RetryAdvice } from '../../spec/model.ts';
import { observeRetries, type RetryObservation } from '../probes/retry-probe.ts';
import { sourceText } from '../sources.ts';
import type { CheckDefinition, Verdict } from '../types.ts';

const advice = (spec: ProviderSpec, status: number): RetryAdvice | undefined => spec.x.retry[String(status)];
const within = (ms: number, base: number, jitter: boolean) => ms >= base && ms <= Math.ceil(base * (1 + (jitter ? JITTER_RATIO : 0)));

function verdict(spec: ProviderSpec, status: number, obs: RetryObservation, problems: string[], expected: unknown, summary: string): Verdict {
  const a = advice(spec, status);
  return {
    status: problems.length ? 'fail' : 'pass',
    message: problems.length ? `${obs.client}: ${problems.join('; ')}` : `${obs.client}: ${summary}`,
    expected,
    observed: { attempts: obs.attempts, sleepsMs: obs.sleeps, finalStatus: obs.finalStatus, tasksCreated: obs.tasksCreated },
    source: sourceText(spec, a?.source),
    warnings: a?.inferred ? [`the advice is partly inferred: ${a.inferred}`] : undefined,
  };
}

function retryCheck(id: string, title: string, scenario: (spec: ProviderSpec) => string, evaluate: (spec: ProviderSpec, obs: RetryObservation) => Verdict, applies?: (spec: ProviderSpec) => string | undefined): CheckDefinition<RetryObservation> {
  return {
    id,
    family: 'retry',
    title,
    cost: 'free',
    target: 'mock',
    notApplicable: (spec) => (spec.x.availability.state === 'not_available' ? 'the model is documented as not available yet' : applies?.(spec)),
    probe: (ctx) => observeRetries(ctx, scenario(ctx.spec)),
    evaluate,
  };
}

const noRetry = (status: 400 | 401) =>
  retryCheck(`retry.${status}.no_retry`, `a ${status} is not retried (the documented advice: fix, then retry)`, () => `${status},ok,ok`, (spec, obs) => {
    const problems = [];
    if (obs.attempts !== 1) problems.push(`sent ${obs.attempts} requests for one ${status}`);
    if (obs.finalStatus !== status) problems.push(`ended with ${obs.finalStatus ?? obs.error}, expected the ${status} itself`);
    return verdict(spec, status, obs, problems, { attempts: 1, finalStatus: status }, `gave up after one ${status}`);
  });

const delays429 = (spec: ProviderSpec) => advice(spec, 429)?.delaysMs ?? [];

export const retryChecks: CheckDefinition<RetryObservation>[] = [
  noRetry(400),
  noRetry(401),
  retryCheck('retry.429.backoff', 'a 429 is retried with the documented exponential backoff and jitter', (spec) => `${delays429(spec).map(() => '429').join(',')},ok`, (spec, obs) => {
    const a = advice(spec, 429)!;
    const base = a.delaysMs ?? [];
    const problems = [];
    if (obs.finalStatus !== 200) problems.push(`ended with ${obs.finalStatus ?? obs.error} instead of succeeding after ${base.length} retries`);
    if (obs.sleeps.length !== base.length) problems.push(`waited ${obs.sleeps.length} times, expected ${base.length}`);
    obs.sleeps.forEach((ms, i) => {
      if (base[i] !== undefined && !within(ms, base[i]!, Boolean(a.jitter)) && !(a.retryAfter && ms >= 1000)) problems.push(`wait ${i + 1} was ${ms} ms, documented ${base[i]} ms${a.jitter ? ` + up to ${JITTER_RATIO * 100}% jitter` : ''}`);
    });
    return verdict(spec, 429, obs, problems, { sleepsMs: base, jitter: a.jitter }, `waited ${obs.sleeps.join(' / ')} ms then succeeded`);
  }, (spec) => (advice(spec, 429)?.retry ? undefined : 'the provider documents no retry for 429')),
  retryCheck('retry.429.retry_after', 'a 429 waits at least its Retry-After', () => '429:7,ok', (spec, obs) => {
    const problems = [];
    if ((obs.sleeps[0] ?? 0) < 7000) problems.push(`waited ${obs.sleeps[0] ?? 0} ms after Retry-After: 7`);
    if (obs.finalStatus !== 200) problems.push(`ended with ${obs.finalStatus ?? obs.error}`);
    return verdict(spec, 429, obs, problems, { firstSleepMs: '>= 7000' }, `waited ${obs.sleeps[0]} ms for Retry-After: 7`);
  }, (spec) => (advice(spec, 429)?.retryAfter ? undefined : 'the provider does not document Retry-After on 429')),
  retryCheck('retry.429.limit', 'retries of 429 stop at the documented limit', (spec) => `${[...delays429(spec), 0, 0].map(() => '429').join(',')},ok`, (spec, obs) => {
    const limit = delays429(spec).length;
    const problems = [];
    if (obs.attempts !== limit + 1) problems.push(`sent ${obs.attempts} requests, expected ${limit + 1} (1 + ${limit} retries)`);
    if (obs.finalStatus !== 429) problems.push(`ended with ${obs.finalStatus ?? obs.error}, expected to give up with the 429`);
    return verdict(spec, 429, obs, problems, { attempts: limit + 1, finalStatus: 429 }, `gave up after ${obs.attempts} attempts`);
  }, (spec) => (advice(spec, 429)?.retry ? undefined : 'the provider documents no retry for 429')),
  retryCheck('retry.500.retries', 'a 500 is retried the documented number of times with short delays', () => '500,500,ok', (spec, obs) => {
    const a = advice(spec, 500)!;
    const max = Math.max(...(a.delaysMs ?? [0]));
    const problems = [];
    if (obs.attempts !== 3) problems.push(`sent ${obs.attempts} requests for two 500s then ok, expected 3`);
    if (obs.finalStatus !== 200) problems.push(`ended with ${obs.finalStatus ?? obs.error}`);
    for (const ms of obs.sleeps) if (ms > Math.ceil(max * (1 + JITTER_RATIO))) problems.push(`waited ${ms} ms, longer than the documented ${max} ms`);
    if ((a.minRetries ?? 0) > 2) problems.push('spec asks for more retries than this scenario covers');
    return verdict(spec, 500, obs, problems, { attempts: 3, maxSleepMs: max }, `retried twice (${obs.sleeps.join(' / ')} ms) and succeeded`);
  }, (spec) => (advice(spec, 500)?.retry ? undefined : 'the provider documents no retry for 500')),
  retryCheck('retry.500.no_duplicate', 'a create retried after a 500-after-commit creates no second task', () => 'commit-500,ok', (spec, obs) => {
    if (!obs.idempotencyKeyDocumented) {
      return {
        status: 'skip',
        message: `the provider documents no idempotency key: a create retried after a 500 made ${obs.tasksCreated} tasks (may bill twice)`,
        observed: { tasksCreated: obs.tasksCreated, attempts: obs.attempts },
        warnings: [`no idempotency key documented: retrying a create after a 500 created ${obs.tasksCreated} tasks`],
      };
    }
    const problems = obs.tasksCreated === 1 ? [] : [`${obs.tasksCreated} tasks exist after one logical create`];
    if (obs.finalStatus !== 200) problems.push(`ended with ${obs.finalStatus ?? obs.error}`);
    return { ...verdict(spec, 500, obs, problems, { tasksCreated: 1 }, 'the retry reused the task (idempotency key)'), source: sourceText(spec, spec.x.idempotency?.source) };
  }, (spec) => (advice(spec, 500)?.retry ? undefined : 'the provider documents no retry for 500')),
];
