import { isDeepStrictEqual } from 'node:util';
import { getAt, setAt } from '../../core/json-pointer.ts';
import { mockClaim } from '../../spec/claims.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { requestIdsOf } from '../probes/exchange-summary.ts';
import { exampleBody, fieldSchema } from '../probes/request-bodies.ts';
import { observeTask, type TaskObservation } from '../probes/task-probe.ts';
import { fieldSource } from '../sources.ts';
import type { CheckDefinition, Finding, Verdict } from '../types.ts';
import { notAvailable, observable, observedIn, type Setting } from './defaults.ts';
import { missingTaskEvidence } from './lifecycle.ts';

import { OWN_GENERATION } from '../spend-class.ts';

export const EXPLICIT_SETTINGS = OWN_GENERATION;
const JUDGED: Setting[] = ['duration', 'aspect_ratio'];

/** Documented values of a setting other than its default (the shortest duration first: the cheapest video). */
function otherValues(spec: ProviderSpec, setting: Setting): unknown[] {
  const decl = spec.x.settings[setting];
  if (!decl) return [];
  const schema = fieldSchema(spec, decl.field) ?? {};
  const values = [...((schema.enum as unknown[] | undefined) ?? []), schema.minimum, schema.maximum].filter(
    (v) => v !== undefined,
  );
  const byDefault = observable(spec, setting, mockClaim(decl.default).value);
  return values
    .filter((v) => !isDeepStrictEqual(observable(spec, setting, v), byDefault))
    .sort((a, b) => Number(a) - Number(b));
}

/** The documented example with duration and aspect ratio set explicitly to documented, non-default values. */
export function explicitBody(spec: ProviderSpec): Record<string, unknown> {
  const validate = compileValidators(spec).request;
  const body = exampleBody(spec);
  for (const setting of JUDGED) {
    const field = spec.x.settings[setting]?.field;
    if (!field) continue;
    const fit = otherValues(spec, setting).find((v) => {
      const next = structuredClone(body);
      setAt(next, field, v);
      return validate(next).errors.length === 0;
    });
    if (fit !== undefined) setAt(body, field, fit);
  }
  return body;
}

/** Pure: the video is what was asked for — the duration and aspect ratio the request set explicitly. */
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

/** One paid generation with explicit settings (scheduled by the spending plan as its own paid item). */
export const explicitSettingsCheck: CheckDefinition<TaskObservation> = {
  id: EXPLICIT_SETTINGS,
  family: 'defaults',
  title: 'a generation with explicit duration and aspect ratio gives the video asked for',
  cost: 'paid',
  target: 'any',
  notApplicable: notAvailable,
  probe: (ctx) => observeTask(ctx, EXPLICIT_SETTINGS, explicitBody(ctx.spec)),
  evaluate: (spec, obs) => missingTaskEvidence(spec, obs) ?? evaluateExplicitSettings(spec, obs),
  // a gateway that ignores the explicit duration and aspect ratio: it serves its defaults
  breakers: (spec) => [
    {
      gateway: 'drops-fields',
      pointers: (['duration', 'aspect_ratio'] as const).flatMap((name) => spec.x.settings[name]?.field ?? []),
    },
  ],
};
