import { isDeepStrictEqual } from 'node:util';
import { isInferred } from '../../spec/claims.ts';
import { getAt } from '../../core/json-pointer.ts';
import { mockClaim } from '../../spec/claims.ts';
import { shortSide } from '../../spec/resolve-settings.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { requestIdsOf } from '../probes/exchange-summary.ts';
import { fieldSchema } from '../probes/request-bodies.ts';
import { observeDefaultTask, type TaskObservation } from '../probes/task-probe.ts';
import { describeClaim, sourceText } from '../sources.ts';
import type { CheckDefinition, Finding, Verdict } from '../types.ts';
import type { Claim } from '../../spec/model.ts';

export type Setting = 'duration' | 'resolution' | 'aspect_ratio';

/** What a claimed default should look like in the video: seconds, short side in px, or a reduced W:H ratio. */
export function observable(spec: ProviderSpec, setting: Setting, value: unknown): unknown {
  if (setting === 'duration') return Number(value);
  if (setting === 'resolution') return shortSide(spec, value);
  const [w, h] = String(value).split(':').map(Number) as [number, number];
  return reduce(w, h);
}

export function observedIn(
  setting: Setting,
  video: { durationSeconds: number; width: number; height: number },
): unknown {
  if (setting === 'duration') return Math.round(video.durationSeconds * 10) / 10;
  if (setting === 'resolution') return Math.min(video.width, video.height);
  return reduce(video.width, video.height);
}

function reduce(w: number, h: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(w, h) || 1;
  return `${w / g}:${h / g}`;
}

/**
 * Pure: compares the probed video with every documented claim for the default. Where the documents disagree
 * ("5 or 6"), a default that matches any documented claim passes, with a `claim-followed` finding naming the claim
 * (a drift observation); one that matches no claim fails. A claim that is only our reading warns (see settle()).
 */
export function evaluateDefault(spec: ProviderSpec, setting: Setting, obs: TaskObservation): Verdict {
  const decl = spec.x.settings[setting]!;
  const chosen = mockClaim(decl.default);
  const expected = observable(spec, setting, chosen.value);
  const source = sourceText(spec, chosen.source);
  const requestIds = requestIdsOf(obs.create, ...obs.polls);
  if (!obs.download?.video) return noVideoVerdict(spec, obs, { expected, source, requestIds });
  const value = observedIn(setting, obs.download.video);
  const same = (c: Claim) => isDeepStrictEqual(observable(spec, setting, c.value), value);
  const matching = decl.default.filter(same);
  const matches = matching.map((c) => describeClaim(spec, c));
  const contradicts = decl.default.filter((c) => !same(c)).map((c) => describeClaim(spec, c));
  const findings: Finding[] = [];
  const warnings: string[] = [];
  findings.push(...echoFindings(spec, setting, obs, value, requestIds));
  if (matching.length === 0) {
    findings.unshift({
      kind: 'default',
      message: `default ${setting} is ${JSON.stringify(value)}, which no document claims`,
      pointer: decl.field,
      expected: decl.default.map((c) => observable(spec, setting, c.value)),
      observed: value,
      source,
      inferred: decl.default.every((c) => c.inferred || isInferred(spec.x, c.source)),
      requestIds,
    });
  } else if (!matching.includes(chosen)) {
    findings.push({
      kind: 'claim-followed',
      message:
        `default ${setting} ${JSON.stringify(value)} follows ${matches.join('; ')}, not ` +
        `the claim the spec chose (${describeClaim(spec, chosen)})`,
      pointer: decl.field,
      expected,
      observed: value,
      matches,
      source: sourceText(spec, matching[0]!.source),
      requestIds,
    });
    warnings.push(`the documents disagree: the provider follows ${matches[0]}`);
  }
  const failing = findings.filter((f) => f.kind !== 'claim-followed');
  return {
    status: failing.length ? 'fail' : 'pass',
    message: failing.length
      ? failing.map((f) => f.message).join('; ')
      : matching.includes(chosen)
        ? `default ${setting} is ${JSON.stringify(value)}, as documented`
        : `default ${setting} is ${JSON.stringify(value)}, as one document claims ` +
          `(${matches.join('; ')}); the spec's chosen claim says ` +
          `${JSON.stringify(expected)}`,
    expected,
    observed: value,
    source,
    matches,
    contradicts,
    requestIds,
    findings,
    warnings: warnings.length ? warnings : undefined,
  };
}

const notAvailable = (spec: ProviderSpec) =>
  spec.x.availability.state === 'not_available' ? 'the model is documented as not available yet' : undefined;

export const defaultsChecks: CheckDefinition<TaskObservation>[] = (
  ['duration', 'resolution', 'aspect_ratio'] as const
).map((setting) => ({
  id: `defaults.${setting}`,
  family: 'defaults',
  title: `omitted ${setting} gets the documented default (measured in the downloaded video)`,
  cost: 'paid',
  target: 'any',
  notApplicable: (spec: ProviderSpec) =>
    notAvailable(spec) ?? (spec.x.settings[setting] ? undefined : `no ${setting} setting is documented`),
  probe: observeDefaultTask,
  evaluate: (spec, obs) => evaluateDefault(spec, setting, obs),
  // a gateway that sends another documented value of the setting where the body leaves it out
  breakers: (spec) => [
    {
      gateway: 'sets-fields',
      fields: [{ pointer: spec.x.settings[setting]!.field, value: otherValue(spec, setting) }],
    },
  ],
}));

/** Another documented value of a setting than its default: another enum member, else a duration 2 s longer. */
export function otherValue(spec: ProviderSpec, setting: Setting): unknown {
  const decl = spec.x.settings[setting]!;
  const current = mockClaim(decl.default).value;
  const values = fieldSchema(spec, decl.field)?.enum as unknown[] | undefined;
  if (setting === 'duration')
    return values ? values.find((v) => v !== current && Number(v) !== Number(current)) : Number(current) + 2;
  if (setting === 'aspect_ratio') return values?.find((v) => v !== current) ?? (current === '9:16' ? '16:9' : '9:16');
  const pixels = spec.x.settings.resolution?.values ?? {};
  return Object.entries(pixels).find(([, px]) => px !== pixels[String(current)])?.[0];
}

export { notAvailable };

/** No video to measure (not created, not finished, not downloadable): an error, with why, never a pass. */
function noVideoVerdict(
  spec: ProviderSpec,
  obs: TaskObservation,
  base: { expected: unknown; source: string | undefined; requestIds: string[] | undefined },
): Verdict {
  const why = !(obs.create.status && obs.create.status < 300)
    ? `create answered ${obs.create.status ?? obs.create.error}`
    : obs.timedOut
      ? 'the task did not finish in time'
      : obs.terminal !== spec.x.lifecycle.succeeded
        ? `the task ended ${obs.terminal}`
        : `the video could not be read (${obs.download?.error ?? 'no result URL'})`;
  return {
    status: 'error',
    message: `no video to measure: ${why}`,
    ...base,
    findings: [{ kind: 'evidence', message: why }],
  };
}

/** A setting the response echoes (a poll field) must say what the video shows. */
function echoFindings(
  spec: ProviderSpec,
  setting: Setting,
  obs: TaskObservation,
  value: unknown,
  requestIds: string[] | undefined,
): Finding[] {
  const decl = spec.x.settings[setting]!;
  if (!decl.echo) return [];
  const echoed = obs.polls.length ? getAt(obs.polls.at(-1)!.body, decl.echo.pointer) : undefined;
  if (echoed !== undefined && !isDeepStrictEqual(observable(spec, setting, echoed), value)) {
    const message =
      `the response echoes ${JSON.stringify(echoed)} at ${decl.echo.pointer}, the ` +
      `video says ${JSON.stringify(value)}`;
    return [
      {
        kind: 'shape',
        message,
        pointer: decl.echo.pointer,
        expected: value,
        observed: echoed,
        inferred: Boolean(decl.echo.inferred),
        source: sourceText(spec, decl.echo.source),
        requestIds,
      },
    ];
  }
  return [];
}
