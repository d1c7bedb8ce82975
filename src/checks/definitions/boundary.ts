import { isDeepStrictEqual } from 'node:util';
import pLimit from 'p-limit';
import { getAt } from '../../core/json-pointer.ts';
import { generateCases } from '../../cases/generate-cases.ts';
import type { BoundaryCase } from '../../cases/types.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { toCurl } from '../curl.ts';
import type { CheckContext, CheckDefinition, Finding, Verdict } from '../types.ts';
import { notAvailable } from './defaults.ts';

export interface CaseOutcome {
  case: Pick<BoundaryCase, 'id' | 'rule' | 'field' | 'note' | 'expect'>;
  status?: number;
  error?: string;
  /** mock only: what the provider resolved for an accepted case */
  resolved?: Record<string, unknown>;
  prompt?: string;
  curl: string;
}

export interface BoundaryObservation {
  seed: number;
  outcomes: CaseOutcome[];
  /** cases not sent: accept-expected cases on a live target without --allow-paid */
  notSent: number;
}

/** Sends every case of the run (memoised: all boundary.<rule> checks share one pass), at most `concurrency` at once. */
function observeBoundary(ctx: CheckContext): Promise<BoundaryObservation> {
  return ctx.probes.get('boundary', async () => {
    const cases = generateCases(ctx.spec, { seed: ctx.seed });
    const sendable = cases.filter((c) => c.expect.outcome === 'reject' || ctx.target === 'mock' || ctx.allowPaid);
    const limit = pLimit(ctx.concurrency);
    const outcomes = await Promise.all(
      sendable.map((c) =>
        limit(async (): Promise<CaseOutcome> => {
          const traceId = `${ctx.runId}:${ctx.spec.id}:case:${encodeURIComponent(c.id)}`;
          const r = await ctx.client.createTask(c.body, { headers: { 'x-mock-scenario-id': traceId }, retry: false });
          const outcome: CaseOutcome = { case: { id: c.id, rule: c.rule, field: c.field, note: c.note, expect: c.expect }, status: r.status, error: r.error?.message, curl: toCurl('POST', r.url, c.body) };
          if (ctx.mock && r.status === 200 && c.expect.outcome === 'accept') {
            const task = (await ctx.mock.tasks(traceId))[0] as { settings?: { values?: Record<string, unknown> }; request?: unknown } | undefined;
            outcome.resolved = task?.settings?.values;
            const prompt = getAt(task?.request, '/prompt');
            if (typeof prompt === 'string') outcome.prompt = prompt;
          }
          return outcome;
        }),
      ),
    );
    return { seed: ctx.seed, outcomes, notSent: cases.length - sendable.length };
  });
}

/** Pure: a case holds when the status is the labelled one and, where visible, the resolved settings match. */
export function caseFailure(o: CaseOutcome): string | undefined {
  const e = o.case.expect;
  if (e.outcome === 'reject') return o.status === e.status ? undefined : `expected ${e.status}, got ${o.status ?? o.error}`;
  if (o.status !== 200) return `expected acceptance, got ${o.status ?? o.error}`;
  if (o.resolved && e.resolved && !isDeepStrictEqual(o.resolved, e.resolved)) return `resolved ${JSON.stringify(o.resolved)}, documented ${JSON.stringify(e.resolved)}`;
  if (e.prompt !== undefined && o.prompt !== undefined && o.prompt !== e.prompt) return `prompt became ${JSON.stringify(o.prompt)}, documented ${JSON.stringify(e.prompt)}`;
  return undefined;
}

export function evaluateBoundary(spec: ProviderSpec, rule: string, obs: BoundaryObservation): Verdict {
  const mine = obs.outcomes.filter((o) => o.case.rule === rule);
  if (mine.length === 0) return { status: 'skip', message: `no ${rule} case was sent (accepted cases need --allow-paid on live targets)` };
  const failed = mine.map((o) => ({ o, why: caseFailure(o) })).filter((x) => x.why);
  const billed = mine.filter((o) => o.case.expect.outcome === 'reject' && o.status !== undefined && o.status >= 200 && o.status < 300);
  const first = failed[0];
  const findings: Finding[] = failed.map(({ o, why }) => {
    const accepted = o.case.expect.outcome === 'reject' && o.status !== undefined && o.status >= 200 && o.status < 300;
    const unanswered = o.status === undefined;
    return {
      kind: unanswered ? 'evidence' : accepted ? 'accepted-invalid' : o.case.expect.outcome === 'reject' ? 'status' : o.status === 200 ? 'default' : 'status',
      message: `${o.case.id} (${o.case.note}): ${why}`,
      pointer: o.case.field,
      expected: o.case.expect.outcome === 'reject' ? o.case.expect.status : 'accepted',
      observed: o.status ?? o.error,
      billableTasks: accepted ? 1 : undefined,
    };
  });
  if (findings.length && findings.every((f) => f.kind === 'evidence')) {
    return { status: 'error', message: `no answer for ${findings.length} ${rule} case(s): ${first!.why}`, findings, source: `generated from the ${spec.id} request schema, seed ${obs.seed}` };
  }
  return {
    status: failed.length ? 'fail' : 'pass',
    message: failed.length ? `${failed.length} of ${mine.length} ${rule} cases failed; first: ${first!.o.case.id} (${first!.o.case.note}): ${first!.why}` : `${mine.length} ${rule} cases got their documented outcome`,
    expected: { cases: mine.length, outcome: mine[0]!.case.expect.outcome },
    observed: { cases: mine.length, failed: failed.length, failures: failed.slice(0, 10).map((f) => ({ id: f.o.case.id, note: f.o.case.note, why: f.why })) },
    source: `generated from the ${spec.id} request schema, seed ${obs.seed}`,
    curl: first?.o.curl,
    findings,
    warnings: billed.length ? [`the provider accepted ${billed.length} invalid request(s): each created a billable task`] : undefined,
  };
}

/** boundary.<rule> for each rule this provider's cases exercise (computed from the spec at the default seed). */
export function boundaryChecks(spec: ProviderSpec): CheckDefinition<BoundaryObservation>[] {
  const rules = [...new Set(generateCases(spec, { seed: 1, valid: 1 }).map((c) => c.rule))].sort();
  return rules.map((rule) => ({
    id: `boundary.${rule}`,
    family: 'boundary',
    title: `generated ${rule} cases get their documented outcome`,
    cost: 'free',
    target: 'any',
    notApplicable: notAvailable,
    probe: observeBoundary,
    evaluate: (s, obs) => evaluateBoundary(s, rule, obs),
  }));
}
