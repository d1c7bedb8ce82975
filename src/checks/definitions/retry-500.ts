import { literalAdviceAdapter } from '../../client/client-adapter.ts';
import { dedupeKey } from '../../spec/dedupe-key.ts';
import { observeRetries, type RetryObservation } from '../probes/retry-probe.ts';
import { sourceText } from '../sources.ts';
import type { CheckDefinition, Finding } from '../types.ts';
import {
  advice,
  ok,
  basis,
  band,
  observed,
  verdict,
  retryCheck,
  one,
  documentsRetry,
  repeat,
  scheduleFindings,
  dedupe,
  lowAndHigh,
  NAIVE_RETRY,
  ENDLESS_RETRY,
} from './retry-judging.ts';

/** Retry checks for 500: retried as documented (or safely not, for a create), the limit, and what the advice bills. */
export const retry500Checks: CheckDefinition<RetryObservation[]>[] = [
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
    { breakers: () => [NAIVE_RETRY] },
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
    { breakers: () => [ENDLESS_RETRY] },
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
    { breakers: () => [NAIVE_RETRY] },
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
    {
      neverFails: (spec) => ({
        why: "a finding about the provider's documents, not its behaviour: it warns",
        faithful: dedupeKey(spec) ? 'pass' : 'warn',
      }),
    },
  ),
];
