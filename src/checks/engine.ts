import { performance } from 'node:perf_hooks';
import { estimatePrice } from '../spec/price.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import { defaultsBody } from './probes/request-bodies.ts';
import { ProbeCache, type CheckContext, type CheckDefinition, type CheckResult, type Verdict } from './types.ts';
import { transientEvidence, transientRetrySchedule, type TransientEvidence } from './transient.ts';
import { metricsOf } from './observed-exchanges.ts';
import { DEFAULT_TASK, notPaidReason, paidAllowed } from './spend-class.ts';

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
  const finish = (v: Verdict & Pick<CheckResult, 'transient' | 'metrics'>): CheckResult => ({
    ...base,
    ...v,
    durationMs: Math.round(performance.now() - started),
  });

  const notApplicable = def.notApplicable?.(ctx.spec);
  if (notApplicable) return finish({ status: 'skip', message: `not applicable: ${notApplicable}` });
  if (def.target === 'mock' && ctx.target !== 'mock')
    return finish({ status: 'skip', message: 'needs fault injection or virtual time: runs against mocks only' });
  if (def.cost === 'paid' && ctx.target === 'live' && ctx.allowPaid && !paidAllowed(ctx, DEFAULT_TASK))
    return finish({ status: 'skip', message: notPaidReason(ctx, DEFAULT_TASK) });
  if (def.cost === 'paid' && ctx.target === 'live' && !ctx.allowPaid) {
    return finish({
      status: 'skip',
      message:
        `creates a billable task (documented price: ` +
        `${price?.amount !== undefined ? `${price.amount} ${price.currency}` : price?.explanation}); ` +
        `pass --allow-paid to run it`,
    });
  }
  if (ctx.deadlineAt !== undefined && Date.now() >= ctx.deadlineAt) {
    return finish({
      status: 'error',
      message: 'deadline: the run deadline (--timeout) passed before this check started',
      findings: [{ kind: 'evidence', message: 'deadline' }],
    });
  }
  try {
    let attempt = await judge(def, ctx);
    if (attempt.evidence.length === 0 || (attempt.verdict.status !== 'fail' && attempt.verdict.status !== 'error'))
      return finish(attempt.verdict);
    // a 429, 5xx, timeout or reset on a check not about those is a transient observation, not a contract finding:
    // try again (fresh probes, so paid ones reserve again within the budget) as the documents advise for it
    const seen = [...attempt.evidence];
    const schedule = transientRetrySchedule(ctx.spec, attempt.evidence);
    for (const delay of schedule) {
      if (ctx.deadlineAt !== undefined && Date.now() + delay >= ctx.deadlineAt) break;
      await (ctx.sleep ?? wait)(delay);
      attempt = await judge(def, { ...ctx, probes: new ProbeCache() });
      if (attempt.evidence.length === 0)
        return finish({
          ...attempt.verdict,
          transient: { attempts: seen.length + 1, evidence: describeEvidence(seen) },
        });
      seen.push(...attempt.evidence);
    }
    const message =
      `transient: ${describeEvidence(seen).join('; ')} — still after ` +
      `${schedule.length} documented retr${schedule.length === 1 ? 'y' : 'ies'}; the ` +
      `contract could not be judged`;
    return finish({
      ...attempt.verdict,
      status: 'error',
      message,
      findings: [{ kind: 'transient', message, observed: seen }, ...(attempt.verdict.findings ?? [])],
      transient: { attempts: schedule.length + 1, evidence: describeEvidence(seen) },
    });
  } catch (err) {
    return finish({
      status: 'error',
      message: `the probe failed: ${(err as Error).message}`,
      findings: [{ kind: 'evidence', message: `the probe failed: ${(err as Error).message}` }],
    });
  }
}

async function judge(
  def: CheckDefinition,
  ctx: CheckContext,
): Promise<{ verdict: Verdict & Pick<CheckResult, 'metrics'>; evidence: TransientEvidence[] }> {
  const observation = await def.probe(ctx);
  const verdict = settle(def.evaluate(ctx.spec, observation), ctx.strict);
  return {
    verdict: { ...verdict, metrics: metricsOf(observation) },
    evidence: transientEvidence(def, verdict, observation),
  };
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const describeEvidence = (evidence: TransientEvidence[]) =>
  evidence.map((e) => `${e.request} → ${e.status ?? e.error}`);

/**
 * The run-wide rules on top of a check's own verdict: a failure that rests only on inferred facts (our reading,
 * not a document) is a warning unless --strict; billable tasks are the sum over the typed findings.
 */
export function settle(verdict: Verdict, strict: boolean): Verdict {
  const findings = verdict.findings ?? [];
  const billable = findings.reduce((n, f) => n + (f.billableTasks ?? 0), 0);
  const out: Verdict = { ...verdict, billableTasks: billable || undefined };
  const failing = findings.filter((f) => f.kind !== 'claim-followed' && f.kind !== 'undocumented');
  if (verdict.status === 'fail' && !strict && failing.length > 0 && failing.every((f) => f.inferred)) {
    out.status = 'warn';
    out.message =
      `${verdict.message} (the expectation is our reading, not a document: a warning; ` +
      `--strict makes it a failure)`;
  }
  return out;
}
