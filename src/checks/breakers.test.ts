// The breakers checks declare are read from the spec: the value, field and departure each names exist in that
// provider's documents, so the proof breaks the provider it runs on (no field name of one provider written down).
import { beforeAll, describe, expect, it } from 'vitest';
import { generateCases } from '../cases/generate-cases.ts';
import { getAt } from '../core/json-pointer.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { describeBreaker } from './breakers.ts';
import { boundaryBreakers } from './definitions/boundary.ts';
import { otherValue } from './definitions/defaults.ts';
import { checksFor } from './registry.ts';

let specs: ProviderSpec[];
beforeAll(async () => {
  specs = await loadAllSpecs();
});

describe('declared breakers', () => {
  it('defaults: another value of the setting than its default, set at the setting’s own field', () => {
    for (const spec of specs)
      for (const setting of ['duration', 'aspect_ratio'] as const) {
        if (!spec.x.settings[setting]) continue;
        const def = checksFor(spec).find((c) => c.id === `defaults.${setting}`)!;
        const value = otherValue(spec, setting);
        expect(value, `${spec.id} ${setting}`).toBeDefined();
        expect(def.breakers!(spec)).toEqual([
          { gateway: 'sets-fields', fields: [{ pointer: spec.x.settings[setting]!.field, value }] },
        ]);
      }
  });

  it('boundary: a rejected rule is broken by accepting it; a conditionally required field also by filling it', () => {
    const spec = specs.find((s) => generateCases(s, { seed: 1, valid: 1 }).some((c) => c.rule === 'conditional.then'))!;
    const cases = generateCases(spec, { seed: 1, valid: 1 });
    const then = boundaryBreakers(spec, cases, 'conditional.then');
    expect(then[0]).toEqual({ gateway: 'accepts-invalid' });
    const filled = then[1] as { fields: { pointer: string; value: unknown }[]; whereMissing: boolean };
    expect(filled.whereMissing).toBe(true);
    for (const f of filled.fields)
      expect(
        spec.create.examples.some((e) => getAt(e.value, f.pointer) === f.value),
        f.pointer,
      ).toBe(true);
    const accepted = cases.find((c) => c.expect.outcome === 'accept')!;
    expect(boundaryBreakers(spec, cases, accepted.rule)).toMatchObject([{ gateway: 'sets-fields' }]);
  });

  it('read in words for test names', () => {
    expect(describeBreaker({ client: 'naive-retry-adapter' })).toBe('client naive-retry-adapter');
    expect(describeBreaker({ gateway: 'video-gone' })).toBe('gateway video-gone');
    expect(describeBreaker({ gateway: 'skips-clock', extraMs: 5 })).toBe('gateway skips-clock {"extraMs":5}');
  });
});
