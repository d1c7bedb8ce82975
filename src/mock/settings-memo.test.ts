import { beforeAll, describe, expect, it } from 'vitest';
import { generateCases } from '../cases/generate-cases.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { estimatePrice } from '../spec/price.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import { SettingsMemo } from './settings-memo.ts';

let specs: ProviderSpec[];
beforeAll(async () => {
  specs = await loadAllSpecs();
});

describe('SettingsMemo', () => {
  it('answers as resolveSettings and estimatePrice do, for every boundary body of every spec and both claims', () => {
    for (const spec of specs) {
      for (const choice of ['mock', 'other'] as const) {
        const memo = new SettingsMemo(spec, choice);
        // each body twice: the second answer comes from the memo
        for (const c of [...generateCases(spec), ...generateCases(spec)]) {
          const body = structuredClone(c.body) as Record<string, unknown>;
          const settings = resolveSettings(spec, body, choice);
          expect([spec.id, c.id, memo.resolve(body)]).toEqual([
            spec.id,
            c.id,
            { settings, price: estimatePrice(spec, settings).amount },
          ]);
        }
      }
    }
  });

  it('never shares an answer between values that only print alike', () => {
    const spec = specs.find((s) => s.id === 'evolink-kling-v3-t2v')!;
    const memo = new SettingsMemo(spec, 'mock');
    const field = spec.x.settings.duration.field.slice(1);
    const asNumber = memo.resolve({ [field]: 5 });
    const asString = memo.resolve({ [field]: '5' });
    expect(asNumber.settings.values.duration).toBe(5);
    expect(asString.settings.values.duration).toBe('5');
    expect(memo.resolve({ [field]: 5 })).toBe(asNumber);
    // shared between tasks, so nobody may change it
    expect(Object.isFrozen(asNumber.settings.values)).toBe(true);
  });
});
