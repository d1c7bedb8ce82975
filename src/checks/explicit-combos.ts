import { isDeepStrictEqual } from 'node:util';
import { setAt } from '../core/json-pointer.ts';
import { mockClaim } from '../spec/claims.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { observable, type Setting } from './definitions/defaults.ts';
import { exampleBody, fieldSchema } from './probes/request-bodies.ts';

/** The settings an explicit-settings video is measured on (what a video shows: length, shape, short side). */
export const JUDGED: Setting[] = ['duration', 'aspect_ratio', 'resolution'];

/** One explicit-settings video: the settings it asks for (by setting name, as sent) and the body that asks. */
export interface ExplicitCombo {
  /** e.g. "3s-9:16-1080p": the paid item is `defaults.explicit_settings/<label>` */
  label: string;
  settings: Partial<Record<Setting, unknown>>;
  body: Record<string, unknown>;
}

/** Documented values of a setting other than its default: an enum's, or a range's ends (durations: the two ends). */
function otherValues(spec: ProviderSpec, setting: Setting): unknown[] {
  const decl = spec.x.settings[setting];
  if (!decl) return [];
  const schema = fieldSchema(spec, decl.field) ?? {};
  const values = [...((schema.enum as unknown[] | undefined) ?? []), schema.minimum, schema.maximum].filter(
    (v) => v !== undefined,
  );
  const byDefault = observable(spec, setting, mockClaim(decl.default).value);
  const seen: unknown[] = [];
  for (const v of values)
    if (!isDeepStrictEqual(observable(spec, setting, v), byDefault) && !seen.some((s) => isDeepStrictEqual(s, v)))
      seen.push(v);
  if (setting !== 'duration') return seen;
  // a duration is asked for at its ends: the shortest and the longest documented (every second between is not a
  // video of its own)
  const sorted = seen.sort((a, b) => Number(a) - Number(b));
  return sorted.length > 2 ? [sorted[0], sorted.at(-1)] : sorted;
}

/**
 * The explicit-setting combinations worth a video of their own: every documented non-default value of each judged
 * setting asked for at least once, in as few videos as that takes — video k asks for each setting's k-th such value
 * (a setting with fewer values keeps its default there). A value the request schema refuses in a combination is left
 * at its default. Deterministic: the spec alone decides.
 */
export function explicitCombos(spec: ProviderSpec): ExplicitCombo[] {
  const validate = compileValidators(spec).request;
  const values = Object.fromEntries(JUDGED.map((s) => [s, otherValues(spec, s)])) as Record<Setting, unknown[]>;
  const count = Math.max(0, ...JUDGED.map((s) => values[s].length));
  const combos: ExplicitCombo[] = [];
  for (let k = 0; k < count; k++) {
    const body = exampleBody(spec);
    const settings: ExplicitCombo['settings'] = {};
    for (const setting of JUDGED) {
      const field = spec.x.settings[setting]?.field;
      const v = values[setting][k];
      if (!field || v === undefined) continue;
      const next = structuredClone(body);
      setAt(next, field, v);
      if (validate(next).errors.length) continue;
      setAt(body, field, v);
      settings[setting] = v;
    }
    if (!Object.keys(settings).length) continue;
    const label = JUDGED.filter((s) => s in settings)
      .map((s) => (s === 'duration' ? `${settings[s]}s` : String(settings[s])))
      .join('-');
    if (!combos.some((c) => c.label === label)) combos.push({ label, settings, body });
  }
  return combos;
}
