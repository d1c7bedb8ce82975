import { performance } from 'node:perf_hooks';
import { estimatePrice } from '../spec/price.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import { defaultsBody } from './probes/request-bodies.ts';
import type { CheckContext, CheckDefinition, CheckResult, Verdict } from './types.ts';

/**
 * Runs one check against one provider: applicability, target and budget gates first, then the probe (the
 * only part with effects) and the pure evaluation. Whatever happens becomes a CheckResult: findings are data.
 */
export async function runCheck(def: CheckDefinition, ctx: CheckContext): Promise<CheckResult> {
  const started = performance.now();
  const price = def.cost === 'paid' ? estimatePrice(ctx.spec, resolveSettings(ctx.spec, defaultsBody(ctx.spec))) : undefined;
  const base = { id: def.id, provider: ctx.spec.id, title: def.title, family: def.family, paid: def.cost === 'paid', price };
  const finish = (v: Verdict): CheckResult => ({ ...base, ...v, durationMs: Math.round(performance.now() - started) });

  const notApplicable = def.notApplicable?.(ctx.spec);
  if (notApplicable) return finish({ status: 'skip', message: `not applicable: ${notApplicable}` });
  if (def.target === 'mock' && ctx.target !== 'mock') return finish({ status: 'skip', message: 'needs fault injection or virtual time: runs against mocks only' });
  if (def.cost === 'paid' && ctx.target === 'live' && !ctx.allowPaid) {
    return finish({ status: 'skip', message: `creates a billable task (documented price: ${price?.amount !== undefined ? `${price.amount} ${price.currency}` : price?.explanation}); pass --allow-paid to run it` });
  }
  if (ctx.deadlineAt !== undefined && Date.now() >= ctx.deadlineAt) {
    return finish({ status: 'error', message: 'deadline: the run deadline (--timeout) passed before this check started', findings: [{ kind: 'evidence', message: 'deadline' }] });
  }
  try {
    const observation = await def.probe(ctx);
    return finish(settle(def.evaluate(ctx.spec, observation), ctx.strict));
  } catch (err) {
    return finish({ status: 'error', message: `the probe failed: ${(err as Error).message}`, findings: [{ kind: 'evidence', message: `the probe failed: ${(err as Error).message}` }] });
  }
}

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
    out.message = `${verdict.message} (the expectation is our reading, not a document: a warning; --strict makes it a failure)`;
  }
  return out;
}
