import { invalidRequestStatus, isSuccess } from '../../spec/operations.ts';
import { isDeepStrictEqual } from 'node:util';
import { envelopeFailure } from '../../spec/envelope.ts';
import { inferredConstraint } from '../sources.ts';
import pLimit from 'p-limit';
import { getAt, pointersOverlap } from '../../core/json-pointer.ts';
import { generateCases } from '../../cases/generate-cases.ts';
import type { BoundaryCase } from '../../cases/types.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { toCurl } from '../curl.ts';
import type { CheckContext, CheckDefinition, Finding, Verdict } from '../types.ts';
import type { Breaker } from '../breakers.ts';
import { alternativeSpecs } from '../../spec/alternative-specs.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { describeClaim } from '../sources.ts';
import { notAvailable } from './defaults.ts';
import { notPaidReason, paidAllowed } from '../spend-class.ts';
import { BUDGET_REFUSAL } from '../../client/exchange.ts';
import { resendAfterNoise } from '../probes/resend-noise.ts';
import type { TransientEvidence } from '../transient.ts';
import { noiseFindings, refusedOtherwise, unjudgedByNoise } from './boundary-noise.ts';
import { cancelNote } from '../probes/exchange-summary.ts';
import { errorAnswerInferred } from '../inferred-expectation.ts';
import { documentedErrorFindings, failing, type ErrorAnswer } from './documented-error.ts';

export interface CaseOutcome {
  case: Pick<BoundaryCase, 'id' | 'rule' | 'field' | 'note' | 'expect'>;
  status?: number;
  error?: string;
  /** mock only: what the provider resolved for an accepted case */
  resolved?: Record<string, unknown>;
  prompt?: string;
  curl: string;
  /** the body sent (judged again against each competing documented claim) */
  body?: Record<string, unknown>;
  /** mock only: the body pointers the mock rejected the case for */
  rejectedFor?: string[];
  /** a 2xx whose documented envelope code says failure (the JSON-Schema gateway's): rejected in its own words */
  envelopeCode?: unknown;
  /** the status is one the documents give for a successful create */
  accepted?: boolean;
  /** a task made from this forbidden body, cancelled at once where a cancel operation is documented */
  cancelled?: { status?: number; error?: string };
  /** never sent: the spend ledger held it back (the budget left could not cover it if wrongly accepted) */
  heldBack?: boolean;
  /** the request as sent (the transient classifier names it), which try it was, and the answer's headers */
  method?: string;
  url?: string;
  attempt?: number;
  headers?: Record<string, string>;
  /** noisy answers (429, 5xx) the case was sent again after, in place */
  noise?: TransientEvidence[];
  /** a case refused with the status it expects: the answer's body, judged against the documented error */
  answer?: ErrorAnswer;
}

const heldBack = (c: BoundaryCase): CaseOutcome => ({
  case: { id: c.id, rule: c.rule, field: c.field, note: c.note, expect: c.expect },
  curl: '',
});

export interface BoundaryObservation {
  seed: number;
  outcomes: CaseOutcome[];
  /** cases not sent: accept-expected cases on a live target without --allow-paid or not in tonight's paid picks */
  notSent: number;
  /** per rule: why its accepted cases were not sent tonight ("paid, due on night 4") */
  unsentWhy?: Record<string, string>;
}

/** Live: an accepted case spends a generation — only with --allow-paid, and only the case tonight's plan picked. */
function sendsAccepted(ctx: CheckContext, c: BoundaryCase): boolean {
  if (ctx.target === 'mock') return true;
  const check = `boundary.${c.rule}`;
  if (!paidAllowed(ctx, check)) return false;
  const picked = ctx.paidPicks?.picked[check];
  return picked === undefined || picked === true || picked === c.id;
}

/** Sends every case of the run (memoised: all boundary.<rule> checks share one pass), at most `concurrency` at once. */
function observeBoundary(ctx: CheckContext): Promise<BoundaryObservation> {
  return ctx.probes.get('boundary', async () => {
    const cases = generateCases(ctx.spec, { seed: ctx.seed });
    // free-when-rejected cases first, then the paid ones (a wrong acceptance spends before a planned generation does)
    const sendable = [
      ...cases.filter((c) => c.expect.outcome === 'reject'),
      ...cases.filter((c) => c.expect.outcome === 'accept' && sendsAccepted(ctx, c)),
    ];
    const unsentWhy: Record<string, string> = {};
    for (const c of cases)
      if (c.expect.outcome === 'accept' && !sendable.includes(c))
        unsentWhy[c.rule] = notPaidReason(ctx, `boundary.${c.rule}`);
    const limit = pLimit(ctx.concurrency);
    const outcomes = await Promise.all(
      sendable.map((c) =>
        limit(async (): Promise<CaseOutcome> => {
          const traceId = `${ctx.runId}:${ctx.spec.id}:case:${encodeURIComponent(c.id)}`;
          const { exchange: r, noise } = await resendAfterNoise(
            ctx,
            () =>
              ctx.client.createTask(c.body, {
                headers: { 'x-mock-scenario-id': traceId },
                retry: false,
                spendAs: c.expect.outcome === 'accept' ? `boundary.${c.rule}` : 'risky',
              }),
            c.expect.outcome === 'reject',
          );
          const env = envelopeFailure(ctx.spec, r.status, r.body);
          if (r.error?.code === BUDGET_REFUSAL) return { ...heldBack(c), error: r.error.message, heldBack: true };
          const outcome: CaseOutcome = {
            case: { id: c.id, rule: c.rule, field: c.field, note: c.note, expect: c.expect },
            status: r.error ? undefined : r.status,
            error: r.error ? `${r.status ? `status ${r.status}, ` : ''}${r.error.message}` : undefined,
            curl: toCurl(ctx.spec, 'POST', r.url, c.body, ctx.apiKeyEnv),
            body: c.body,
            ...(env ? { envelopeCode: env.code } : {}),
            accepted: isSuccess(ctx.spec, 'create', r.status),
            method: r.method,
            url: r.url,
            attempt: r.attempt,
            headers: r.headers,
            ...(noise.length ? { noise } : {}),
            ...(r.cancelled ? { cancelled: r.cancelled } : {}),
            ...(c.expect.outcome === 'reject' && r.status === c.expect.status
              ? {
                  answer: {
                    body: r.body,
                    text: r.body === undefined ? r.text?.slice(0, 200) : undefined,
                    headers: r.headers,
                  },
                }
              : {}),
          };
          if (ctx.mock && r.status === invalidRequestStatus(ctx.spec) && c.expect.outcome === 'accept') {
            outcome.rejectedFor = (await ctx.mock.requests(traceId)).flatMap(
              (x) => x.rejectedFor?.map((d) => d.pointer) ?? [],
            );
          }
          if (ctx.mock && outcome.accepted && c.expect.outcome === 'accept') {
            const task = (await ctx.mock.tasks(traceId))[0] as
              | { settings?: { values?: Record<string, unknown> }; request?: unknown }
              | undefined;
            outcome.resolved = task?.settings?.values;
            const prompt = getAt(task?.request, ctx.spec.x.prompt.field);
            if (typeof prompt === 'string') outcome.prompt = prompt;
          }
          return outcome;
        }),
      ),
    );
    // a risky case the ledger held back (the budget left could not cover it if wrongly accepted) was never sent
    const sent = outcomes.filter((o) => !o.heldBack);
    for (const o of outcomes.filter((x) => x.heldBack))
      unsentWhy[o.case.rule] ??= `${o.case.expect.outcome === 'accept' ? 'paid' : 'risky'}, ${o.error}`;
    return { seed: ctx.seed, outcomes: sent, notSent: cases.length - sent.length, unsentWhy };
  });
}

/**
 * Pure: a case holds when the status is the labelled one — for a rejection, with the documented error body and code
 * (a bare 400 from whatever answers is no evidence) — and, where visible, the resolved settings match.
 */
export function caseFailure(o: CaseOutcome, spec?: ProviderSpec): string | undefined {
  const e = o.case.expect;
  if (e.outcome === 'reject') {
    if (o.envelopeCode !== undefined) return undefined;
    const status = o.status;
    if (status === undefined || status !== e.status) return `expected ${e.status}, got ${o.status ?? o.error}`;
    const wrong = spec && o.answer ? failing(documentedErrorFindings(spec, 'create', status, o.answer)) : [];
    return wrong.length ? `${status}, but ${wrong.map((f) => f.message).join('; ')}` : undefined;
  }
  if (!(o.accepted ?? o.status === 200) || o.envelopeCode !== undefined)
    return `expected acceptance, got ${o.status ?? o.error}${
      o.envelopeCode !== undefined ? ` with envelope code ${JSON.stringify(o.envelopeCode)}` : ''
    }`;
  if (o.resolved && e.resolved && !isDeepStrictEqual(o.resolved, e.resolved))
    return `resolved ${JSON.stringify(o.resolved)}, documented ${JSON.stringify(e.resolved)}`;
  if (e.prompt !== undefined && o.prompt !== undefined && o.prompt !== e.prompt)
    return `prompt became ${JSON.stringify(o.prompt)}, documented ${JSON.stringify(e.prompt)}`;
  return undefined;
}

/**
 * Where the documents disagree on what is valid (ToAPIs' duration 3-15 vs 6|10 vs 5-15) or on a default, a case
 * whose outcome one documented claim predicts is not a contract violation: the claims it follows, or none.
 */
export function claimsFollowed(spec: ProviderSpec, o: CaseOutcome): string[] {
  const e = o.case.expect;
  if (o.status === undefined) return [];
  if ((o.accepted ?? o.status === 200) && e.outcome === 'accept' && o.resolved && e.resolved) {
    // every differing resolved setting must be some documented default (the case left it out)
    const differing = Object.keys({ ...o.resolved, ...e.resolved }).filter(
      (k) => !isDeepStrictEqual(o.resolved![k], e.resolved![k]),
    );
    const follows = differing.map((k) =>
      spec.x.settings[k]?.default.find((c) => isDeepStrictEqual(c.value, o.resolved![k])),
    );
    return follows.every(Boolean) ? follows.map((c) => describeClaim(spec, c!)) : [];
  }
  if (!o.body) return [];
  const outcome =
    o.status >= 200 && o.status < 300 ? 'accept' : o.status === invalidRequestStatus(spec) ? 'reject' : undefined;
  if (!outcome || outcome === e.outcome) return [];
  // only a claim about the field the rejection concerns: the one the gateway named (on a mock, its diagnostics),
  // else the field the case is about — not any claim that happens to reject the body for another reason
  return alternativeSpecs(spec)
    .filter(
      (alt) =>
        alt.field !== undefined &&
        (o.rejectedFor?.length
          ? o.rejectedFor.some((p) => pointersOverlap(p, alt.field!))
          : pointersOverlap(alt.field, o.case.field)),
    )
    .filter((alt) => (compileValidators(alt.spec).request(o.body).valid ? 'accept' : 'reject') === outcome)
    .map((alt) => alt.describe);
}

/** Where a case followed a competing claim: the claim the spec chose for the same fact, so the conflict is named. */
function otherSide(spec: ProviderSpec, follows: string[]): string {
  const chosen = [...new Set(alternativeSpecs(spec).flatMap((a) => (follows.includes(a.describe) ? [a.chosen] : [])))];
  return chosen.length ? ` — the documents contradict each other: they also say ${chosen.join('; ')}` : '';
}

/** The constraint behind a case is our reading (its schema's x-source is inferred): its failures warn. */
const inferredField = inferredConstraint;

/** A case that missed its documented outcome, as a finding: accepted (billable), refused otherwise, unanswered. */
function caseFinding(spec: ProviderSpec, o: CaseOutcome, why: string): Finding {
  const accepted = o.case.expect.outcome === 'reject' && o.status !== undefined && o.status >= 200 && o.status < 300;
  // refused with the documented status but not with the documented error body: the body is what departs
  const body = o.case.expect.outcome === 'reject' && o.status === o.case.expect.status;
  return {
    kind:
      o.status === undefined
        ? 'evidence'
        : accepted
          ? 'accepted-invalid'
          : body
            ? 'shape'
            : (o.accepted ?? o.status === 200)
              ? 'default'
              : 'status',
    message: `${o.case.id} (${o.case.note}): ${why}${accepted ? cancelNote(o) : ''}`,
    pointer: o.case.field,
    expected: o.case.expect.outcome === 'reject' ? o.case.expect.status : 'accepted',
    observed: o.status ?? o.error,
    inferred:
      (body ? errorAnswerInferred(spec, o.status!) : false) ||
      inferredField(spec, o.case.field) ||
      refusedOtherwise(spec, o) ||
      undefined,
    billableTasks: accepted ? 1 : undefined,
  };
}

export function evaluateBoundary(spec: ProviderSpec, rule: string, obs: BoundaryObservation): Verdict {
  const mine = obs.outcomes.filter((o) => o.case.rule === rule);
  const source = `generated from the ${spec.id} request schema, seed ${obs.seed}`;
  const unsent = obs.unsentWhy?.[rule];
  if (mine.length === 0)
    return {
      status: 'skip',
      message: unsent ?? `no ${rule} case was sent (accepted cases need --allow-paid on live targets)`,
    };
  const noisy = unjudgedByNoise(mine);
  const judged = mine
    .filter((o) => !noisy.includes(o))
    .map((o) => ({ o, why: caseFailure(o, spec) }))
    .filter((x) => x.why)
    .map((x) => ({ ...x, follows: claimsFollowed(spec, x.o) }));
  const failed = judged.filter((x) => x.follows.length === 0);
  const followed = judged.filter((x) => x.follows.length > 0);
  // a body another documented claim allows is not an invalid request, though the spec's chosen reading forbids it
  const billed = failed
    .map((f) => f.o)
    .filter((o) => o.case.expect.outcome === 'reject' && o.status !== undefined && o.status >= 200 && o.status < 300);
  const first = failed[0];
  const findings: Finding[] = failed.map(({ o, why }) => caseFinding(spec, o, why!));
  findings.push(
    ...followed.map(({ o, why, follows }) => ({
      kind: 'claim-followed' as const,
      message: `${o.case.id}: ${why}, as ${follows.join('; ')} says${otherSide(spec, follows)}`,
      pointer: o.case.field,
      observed: o.status,
      matches: follows,
    })),
  );
  findings.push(...noiseFindings(mine));
  if (!failed.length && noisy.length)
    return {
      status: 'error',
      message: `transient: ${noisy.length} ${rule} case(s) got only noise (${findings.at(-1)!.message})`,
      findings,
      source,
    };
  if (failed.length && failed.every((f) => f.o.status === undefined)) {
    return {
      status: 'error',
      message: `no answer for ${failed.length} ${rule} case(s): ${first!.why}`,
      findings,
      source,
    };
  }
  return {
    status: failed.length ? 'fail' : 'pass',
    message: failed.length
      ? `${failed.length} of ${mine.length} ${rule} cases failed; first: ` +
        `${first!.o.case.id} (${first!.o.case.note}): ${first!.why}`
      : `${mine.length} ${rule} cases got their documented ` +
        `outcome${followed.length ? ` (${followed.length} as another documented claim says)` : ''}` +
        `${unsent ? `; not sent tonight: ${unsent}` : ''}`,
    expected: { cases: mine.length, outcome: mine[0]!.case.expect.outcome },
    observed: {
      cases: mine.length,
      failed: failed.length,
      followedOtherClaim: followed.length,
      failures: failed.slice(0, 10).map((f) => ({ id: f.o.case.id, note: f.o.case.note, why: f.why })),
    },
    source,
    curl: first?.o.curl,
    findings,
    warnings: billed.length
      ? [`the provider accepted ${billed.length} invalid request(s): each created a billable task`]
      : undefined,
  };
}

/** boundary.<rule> for each rule this provider's cases exercise (computed from the spec at the default seed). */
export function boundaryChecks(spec: ProviderSpec): CheckDefinition<BoundaryObservation>[] {
  const cases = generateCases(spec, { seed: 1, valid: 1 });
  const rules = [...new Set(cases.map((c) => c.rule))].sort();
  return rules.map((rule) => ({
    id: `boundary.${rule}`,
    family: 'boundary',
    title: `generated ${rule} cases get their documented outcome`,
    cost: 'risky',
    target: 'any',
    notApplicable: notAvailable,
    probe: observeBoundary,
    evaluate: (s, obs) => evaluateBoundary(s, rule, obs),
    breakers: (s) => boundaryBreakers(s, cases, rule),
  }));
}

/**
 * How a rule's cases are broken in the proof that it can fail: a gateway that accepts what the rule forbids, or one
 * that rejects what it allows (the aspect ratio forced to a value outside the documented ones); where a field is
 * required only under a condition, also one that fills the field in (from the documented examples).
 */
export function boundaryBreakers(spec: ProviderSpec, cases: BoundaryCase[], rule: string): Breaker[] {
  const mine = cases.filter((c) => c.rule === rule);
  if (mine[0]?.expect.outcome === 'accept') {
    const aspect = spec.x.settings.aspect_ratio;
    return aspect ? [{ gateway: 'sets-fields', fields: [{ pointer: aspect.field, value: '2:1' }] }] : [];
  }
  const fields =
    rule === 'conditional.then'
      ? mine.flatMap((c) => {
          const value = spec.create.examples.map((e) => getAt(e.value, c.field)).find((v) => v !== undefined);
          return value === undefined ? [] : [{ pointer: c.field, value }];
        })
      : [];
  return [
    { gateway: 'accepts-invalid' },
    ...(fields.length ? [{ gateway: 'sets-fields' as const, fields, whereMissing: true }] : []),
  ];
}
