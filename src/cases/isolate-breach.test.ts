import { describe, expect, it } from 'vitest';
import { pointersOverlap } from '../core/json-pointer.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { generateCases } from './generate-cases.ts';

describe('a conditional case breaks only the rule it is about', () => {
  it('every rejected conditional case of every provider is wrong only at its own field', async () => {
    const broken: string[] = [];
    for (const spec of await loadAllSpecs())
      for (const c of generateCases(spec, { seed: 1 }).filter(
        (x) => x.rule.startsWith('conditional.') && x.expect.outcome === 'reject',
      )) {
        const others = compileValidators(spec)
          .request(c.body)
          .errors.filter((e) => !pointersOverlap(e.pointer, c.field));
        if (others.length) broken.push(`${spec.id} ${c.id}: also ${others.map((e) => e.pointer).join(', ')}`);
      }
    expect(broken).toEqual([]);
  });

  it('the shot_type case sends a prompt (the example’s empty one needs shot_type)', async () => {
    const spec = (await loadAllSpecs()).find((s) => s.id === 'evolink-kling-v3-t2v')!;
    const c = generateCases(spec, { seed: 1 }).find((x) => x.field === '/model_params/shot_type')!;
    expect((c.body as { prompt: string }).prompt.length).toBeGreaterThan(0);
  });
});
