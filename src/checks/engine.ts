import { performance } from 'node:perf_hooks';
import { estimatePrice } from '../spec/price.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import { defaultsBody } from './probes/request-bodies.ts';
import type { CheckContext, CheckDefinition, CheckResult, Verdict } from './types.ts';
import {
  listNoise,
  nameNoise,
  noiseMet,
  transientEvidence,
  transientRetrySchedule,
  type TransientEvidence,
} from './transient.ts';
import { createdTask, metricsOf } from './observed-exchanges.ts';
import { DEFAULT_TASK, notPaidReason, OWN_GENERATION, paidAllowed } from './spend-class.ts';

/**
 * Runs one check against one provider: applicability, target and budget gates first, then the probe (the
 * only part with effects) and the pure evaluation. Whatever happens becomes a CheckResult: findings are data.
 */
export async function runCheck(def: CheckDefinition, ctx: CheckContext): Promise<CheckResult> {
  const started = performance.now();
  const price =
    def.cost === 'paid' ? estimatePrice(ctx.spec, resolveSettings(ctx.spec, defaultsBody(ctx.spec))) : undefined;
  const base = {
    id: def.id,
    provider: ctx.spec.id,
    title: def.title,
    family: def.family,
    paid: def.cost === 'paid',
    price,
  };
  const finish = (v: Verdict & Pick<CheckResult, 'transient' | 'metrics' | 'noise'>): CheckResult => ({
    ...base,
    ...v,
    durationMs: Math.round(performance.now() - started),
  });

  const gated = gateVerdict(def, ctx, price);
  if (gated) return finish(gated);
  try {
    let attempt = await judge(def, ctx, 1);
    if (attempt.evidence.length === 0) return finish(attempt.verdict);
    if (!['fail', 'warn', 'error'].includes(attempt.verdict.status))
      return finish({
        ...withNoiseNamed(attempt.verdict, attempt.evidence),
        noise: noiseMet(ctx.spec, attempt.evidence),
      });
    // a 429, 5xx, timeout or reset on a check not about those is a transient observation, not a contract finding:
    // try again (fresh probes, so paid ones reserve again within the budget) as the documents advise for it
    const seen = [...attempt.evidence];
    // an observation that holds an accepted create is never sent again: the task exists (and is billed); only what
    // created nothing is tried again, on probes shared by every check retried after this attempt
    const schedule = attempt.created ? [] : transientRetrySchedule(ctx.spec, attempt.evidence);
    let probes = ctx.probes;
    // how many times the check was judged (not how many noisy answers it met)
    let rounds = 1;
    for (const delay of schedule) {
      if (ctx.deadlineAt !== undefined && Date.now() + delay >= ctx.deadlineAt) break;
      await (ctx.sleep ?? wait)(delay);
      probes = probes.retried();
      attempt = await judge(def, { ...ctx, probes }, ++rounds);
      if (attempt.evidence.length === 0)
        return finish({
          ...withNoiseNamed(attempt.verdict, seen),
          transient: { attempts: rounds, evidence: describeEvidence(seen) },
          noise: noiseMet(ctx.spec, seen),
        });
      seen.push(...attempt.evidence);
    }
    const message =
      `transient: ${listNoise(describeEvidence(seen))} — ` +
      (attempt.created
        ? 'not sent again (a task was created: sending again could bill twice)'
        : `still after ${schedule.length} documented retr${schedule.length === 1 ? 'y' : 'ies'}`) +
      `; the contract could not be judged`;
    return finish({
      ...attempt.verdict,
      status: 'error',
      message,
      findings: [{ kind: 'transient', message, observed: describeEvidence(seen) }, ...(attempt.verdict.findings ?? [])],
      transient: { attempts: rounds, evidence: describeEvidence(seen) },
      noise: noiseMet(ctx.spec, seen),
    });
  } catch (err) {
    return finish({
      status: 'error',
      message: `the probe failed: ${(err as Error).message}`,
      findings: [{ kind: 'evidence', message: `the probe failed: ${(err as Error).message}` }],
    });
  }
}

/** The gates before any probe: applicability, target, the paid budget and the run deadline (a skip or error). */
function gateVerdict(def: CheckDefinition, ctx: CheckContext, price: CheckResult['price']): Verdict | undefined {
  const notApplicable = def.notApplicable?.(ctx.spec);
  if (notApplicable) return { status: 'skip', message: `not applicable: ${notApplicable}` };
  if (def.target === 'mock' && ctx.target !== 'mock')
    return { status: 'skip', message: 'needs fault injection or virtual time: runs against mocks only' };
  // the explicit-settings check spends on items of its own: its probe sends the combinations tonight picked
  const item = DEFAULT_TASK;
  if (
    def.cost === 'paid' &&
    def.id !== OWN_GENERATION &&
    ctx.target === 'live' &&
    ctx.allowPaid &&
    !paidAllowed(ctx, item)
  )
    return { status: 'skip', message: notPaidReason(ctx, item) };
  if (def.cost === 'paid' && ctx.target === 'live' && !ctx.allowPaid) {
    return {
      status: 'skip',
      message:
        `creates a billable task (documented price: ` +
        `${price?.amount !== undefined ? `${price.amount} ${price.currency}` : price?.explanation}); ` +
        `pass --allow-paid to run it`,
    };
  }
  if (ctx.deadlineAt !== undefined && Date.now() >= ctx.deadlineAt) {
    return {
      status: 'error',
      message: 'deadline: the run deadline (--timeout) passed before this check started',
      findings: [{ kind: 'evidence', message: 'deadline' }],
    };
  }
  return undefined;
}

/** One probe and evaluation; `round` is which time the check is judged (the attempt of its noisy requests). */
async function judge(
  def: CheckDefinition,
  ctx: CheckContext,
  round: number,
): Promise<{ verdict: Verdict & Pick<CheckResult, 'metrics'>; evidence: TransientEvidence[]; created: boolean }> {
  const observation = await def.probe(ctx);
  const verdict = settle(def.evaluate(ctx.spec, observation), ctx.strict);
  return {
    verdict: { ...verdict, metrics: metricsOf(observation) },
    // the round is the check's, not a request's try: a request sent again in a later round is a new request
    evidence: transientEvidence(ctx.spec, def, verdict, observation).map((e) => ({ ...e, round })),
    created: createdTask(ctx.spec, observation),
  };
}

/** A verdict reached despite noise (a poll answered 429 and polled again): the noisy exchanges named, not judged. */
function withNoiseNamed<V extends Verdict>(verdict: V, evidence: TransientEvidence[]): V {
  const named = describeEvidence(evidence);
  const message = `noise, sent or polled again, not judged: ${listNoise(named)}`;
  return { ...verdict, findings: [...(verdict.findings ?? []), { kind: 'transient', message, observed: named }] };
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Every noisy exchange named, one line each ("POST …/generations → 500 (attempt 2)"). */
const describeEvidence = (evidence: TransientEvidence[]) => evidence.map(nameNoise);

/**
 * The run-wide rules on top of a check's own verdict: a failure that rests only on inferred facts (our reading,
 * not a document) is a warning unless --strict; billable tasks are the sum over the typed findings.
 */
export function settle(verdict: Verdict, strict: boolean): Verdict {
  // every finding says whether its expectation is documented (false) or our reading (true)
  const findings = (verdict.findings ?? []).map((f) => ({ ...f, inferred: Boolean(f.inferred) }));
  const billable = findings.reduce((n, f) => n + (f.billableTasks ?? 0), 0);
  const out: Verdict = {
    ...verdict,
    ...(verdict.findings ? { findings } : {}),
    billableTasks: billable || undefined,
  };
  const failing = findings.filter((f) => !['claim-followed', 'undocumented', 'transient'].includes(f.kind));
  if (verdict.status === 'fail' && !strict && failing.length > 0 && failing.every((f) => f.inferred)) {
    out.status = 'warn';
    out.message =
      `${verdict.message} (the expectation is our reading, not a document: a warning; ` +
      `--strict makes it a failure)`;
  }
  return out;
}
