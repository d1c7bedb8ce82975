import { isDeepStrictEqual } from 'node:util';
import { getAt } from '../../core/json-pointer.ts';
import { BUDGET_REFUSAL } from '../../client/exchange.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { explicitCombos, JUDGED } from '../explicit-combos.ts';
import { requestIdsOf } from '../probes/exchange-summary.ts';
import { observeTask, type TaskObservation } from '../probes/task-probe.ts';
import { fieldSource } from '../sources.ts';
import { explicitItem, notPaidReason, OWN_GENERATION, paidAllowed } from '../spend-class.ts';
import type { CheckContext, CheckDefinition, Finding, Verdict } from '../types.ts';
import { notAvailable, observable, observedIn } from './defaults.ts';
import { missingTaskEvidence } from './task-evidence.ts';

export const EXPLICIT_SETTINGS = OWN_GENERATION;

/** Each explicit-settings video sent tonight (its combination's label and what was seen), and why the rest were not. */
export interface ExplicitObservation {
  videos: { label: string; obs: TaskObservation }[];
  notSent: Record<string, string>;
}

/** Pure: one video is what was asked for — the duration, aspect ratio and resolution the request set explicitly. */
export function evaluateExplicitSettings(spec: ProviderSpec, obs: TaskObservation): Verdict {
  const video = obs.download?.video;
  const requestIds = requestIdsOf(obs.create, ...obs.polls);
  if (!video)
    return {
      status: 'error',
      message: `no video to measure (${obs.download?.error ?? obs.terminal ?? 'the task did not finish'})`,
      findings: [{ kind: 'evidence', message: 'no video' }],
      requestIds,
    };
  const findings: Finding[] = [];
  const asked: Record<string, unknown> = {};
  const got: Record<string, unknown> = {};
  for (const setting of JUDGED) {
    const field = spec.x.settings[setting]?.field;
    const sent = field ? getAt(obs.sent, field) : undefined;
    if (sent === undefined) continue;
    asked[setting] = observable(spec, setting, sent);
    got[setting] = observedIn(setting, video);
    if (!isDeepStrictEqual(asked[setting], got[setting]))
      findings.push({
        kind: 'default',
        message: `asked for ${setting} ${JSON.stringify(sent)}, the video has ${JSON.stringify(got[setting])}`,
        pointer: field,
        expected: asked[setting],
        observed: got[setting],
        source: fieldSource(spec, field!),
        requestIds,
      });
  }
  if (!Object.keys(asked).length) return { status: 'skip', message: 'no setting could be set explicitly' };
  return {
    status: findings.length ? 'fail' : 'pass',
    message: findings.length
      ? findings.map((f) => f.message).join('; ')
      : `the video is as asked: ${JSON.stringify(got)}`,
    expected: asked,
    observed: got,
    findings,
    requestIds,
  };
}

/** A create the spend ledger held back never left the process: not sent for budget, nothing to judge. */
const heldBack = (obs: TaskObservation) =>
  obs.create.status === undefined && obs.create.error?.startsWith(BUDGET_REFUSAL);

/** One video's verdict: not sent for budget (skip), no task evidence (error), or as asked (pass/fail). */
function judgeVideo(spec: ProviderSpec, label: string, obs: TaskObservation): Verdict {
  if (heldBack(obs))
    return { status: 'skip', message: `${label}: paid, ${obs.create.error!.slice(BUDGET_REFUSAL.length + 2)}` };
  const v = missingTaskEvidence(spec, obs) ?? evaluateExplicitSettings(spec, obs);
  return { ...v, message: `${label}: ${v.message}` };
}

const WORST: Verdict['status'][] = ['fail', 'error', 'warn', 'info', 'pass', 'skip'];

/** Pure: the videos sent tonight, each judged; the worst verdict leads, and the combinations not sent are named. */
export function evaluateExplicitVideos(spec: ProviderSpec, obs: ExplicitObservation): Verdict {
  const verdicts = obs.videos.map((v) => judgeVideo(spec, v.label, v.obs));
  const waiting = Object.entries(obs.notSent).map(([label, why]) => `${label}: ${why}`);
  const judged = verdicts.filter((v) => v.status !== 'skip');
  if (!judged.length)
    return { status: 'skip', message: [...verdicts.map((v) => v.message), ...waiting].join('; ') || 'no combination' };
  const status = WORST.find((s) => judged.some((v) => v.status === s))!;
  return {
    status,
    message: [...verdicts.map((v) => v.message), ...waiting.map((w) => `not sent tonight: ${w}`)].join('; '),
    findings: judged.flatMap((v) => v.findings ?? []),
    requestIds: judged.flatMap((v) => v.requestIds ?? []),
    ...(judged.length === 1 ? { expected: judged[0]!.expected, observed: judged[0]!.observed } : {}),
  };
}

/** The combinations tonight sends (mocks: all; live: the ones the spending plan picked), one video each. */
async function observeExplicit(ctx: CheckContext): Promise<ExplicitObservation> {
  const out: ExplicitObservation = { videos: [], notSent: {} };
  for (const combo of explicitCombos(ctx.spec)) {
    const item = explicitItem(combo.label);
    if (!paidAllowed(ctx, item)) out.notSent[combo.label] = notPaidReason(ctx, item);
    else out.videos.push({ label: combo.label, obs: await observeTask(ctx, item, combo.body) });
  }
  return out;
}

/**
 * One paid generation per explicit-setting combination (each its own paid item in the spending plan): is the video
 * what was asked for?
 */
export const explicitSettingsCheck: CheckDefinition<ExplicitObservation> = {
  id: EXPLICIT_SETTINGS,
  family: 'defaults',
  title: 'a generation with explicit duration, aspect ratio and resolution gives the video asked for',
  cost: 'paid',
  target: 'any',
  // generations of its own, one per combination: paid items the plan rotates, not the default task
  spendClass: () => 'paid',
  notApplicable: (spec) =>
    notAvailable(spec) ?? (explicitCombos(spec).length ? undefined : 'no documented setting to ask for explicitly'),
  probe: observeExplicit,
  evaluate: evaluateExplicitVideos,
  // a gateway that ignores the explicit settings: it serves its defaults
  breakers: (spec) => [
    {
      gateway: 'drops-fields',
      pointers: JUDGED.flatMap((name) => spec.x.settings[name]?.field ?? []),
    },
  ],
};
