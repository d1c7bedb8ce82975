import { isDeepStrictEqual } from 'node:util';
import { getAt } from '../../core/json-pointer.ts';
import { mockClaim } from '../../spec/claims.ts';
import { shortSide } from '../../spec/resolve-settings.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { requestIdsOf } from '../probes/exchange-summary.ts';
import { observeDefaultTask, type TaskObservation } from '../probes/task-probe.ts';
import { sourceText } from '../sources.ts';
import type { CheckDefinition, Verdict } from '../types.ts';

type Setting = 'duration' | 'resolution' | 'aspect_ratio';

/** What a claimed default should look like in the video: seconds, short side in px, or a reduced W:H ratio. */
function observable(spec: ProviderSpec, setting: Setting, value: unknown): unknown {
  if (setting === 'duration') return Number(value);
  if (setting === 'resolution') return shortSide(spec, value);
  const [w, h] = String(value).split(':').map(Number) as [number, number];
  return reduce(w, h);
}

function observed(setting: Setting, video: { durationSeconds: number; width: number; height: number }): unknown {
  if (setting === 'duration') return Math.round(video.durationSeconds * 10) / 10;
  if (setting === 'resolution') return Math.min(video.width, video.height);
  return reduce(video.width, video.height);
}

function reduce(w: number, h: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(w, h) || 1;
  return `${w / g}:${h / g}`;
}

/** Pure: compares the probed video with every documented claim for the default. */
export function evaluateDefault(spec: ProviderSpec, setting: Setting, obs: TaskObservation): Verdict {
  const decl = spec.x.settings[setting]!;
  const chosen = mockClaim(decl.default);
  const expected = observable(spec, setting, chosen.value);
  const source = sourceText(spec, chosen.source);
  const requestIds = requestIdsOf(obs.create, ...obs.polls);
  if (!obs.download?.video) {
    const why = obs.create.status !== 200 ? `create answered ${obs.create.status ?? obs.create.error}` : obs.timedOut ? 'the task did not finish in time' : obs.terminal !== spec.x.lifecycle.succeeded ? `the task ended ${obs.terminal}` : `the video could not be read (${obs.download?.error ?? 'no result URL'})`;
    return { status: 'error', message: `no video to measure: ${why}`, expected, source, requestIds };
  }
  const value = observed(setting, obs.download.video);
  const describe = (c: (typeof decl.default)[number]) => `${JSON.stringify(c.value)} (${sourceText(spec, c.source)})`;
  const matches = decl.default.filter((c) => isDeepStrictEqual(observable(spec, setting, c.value), value)).map(describe);
  const contradicts = decl.default.filter((c) => !isDeepStrictEqual(observable(spec, setting, c.value), value)).map(describe);
  const warnings: string[] = [];
  let echoOk = true;
  if (decl.echo) {
    const echoed = obs.polls.length ? getAt(obs.polls.at(-1)!.body, decl.echo.pointer) : undefined;
    if (echoed !== undefined && !isDeepStrictEqual(observable(spec, setting, echoed), value)) {
      echoOk = false;
      warnings.push(`the response echoes ${JSON.stringify(echoed)} at ${decl.echo.pointer}, the video says ${JSON.stringify(value)}`);
    }
  }
  const pass = isDeepStrictEqual(value, expected) && echoOk;
  return {
    status: pass ? 'pass' : 'fail',
    message: pass
      ? `default ${setting} is ${JSON.stringify(value)}, as documented`
      : `default ${setting} is ${JSON.stringify(value)}, documented ${JSON.stringify(expected)}${matches.length ? `; it matches ${matches.join('; ')}` : ''}`,
    expected,
    observed: value,
    source,
    matches,
    contradicts,
    requestIds,
    warnings: warnings.length ? warnings : undefined,
  };
}

const notAvailable = (spec: ProviderSpec) => (spec.x.availability.state === 'not_available' ? 'the model is documented as not available yet' : undefined);

export const defaultsChecks: CheckDefinition<TaskObservation>[] = (['duration', 'resolution', 'aspect_ratio'] as const).map((setting) => ({
  id: `defaults.${setting}`,
  family: 'defaults',
  title: `omitted ${setting} gets the documented default (measured in the downloaded video)`,
  cost: 'paid',
  target: 'any',
  notApplicable: notAvailable,
  probe: observeDefaultTask,
  evaluate: (spec, obs) => evaluateDefault(spec, setting, obs),
}));

export { notAvailable };
