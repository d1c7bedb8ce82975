import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { generateCases } from './generate-cases.ts';
import { walkConstraints } from './walk-constraints.ts';

let specs: ProviderSpec[];
beforeAll(async () => {
  specs = (await loadAllSpecs()).filter((s) => s.x.availability.state === 'available' || true);
});

/** Which case rules cover a schema keyword. */
const COVERS: Record<string, string[]> = {
  minLength: ['minLength', 'minLength-1'],
  maxLength: ['maxLength', 'maxLength+1'],
  minimum: ['minimum', 'minimum-1'],
  maximum: ['maximum', 'maximum+1'],
  enum: ['enum', 'enum.near-miss'],
  const: ['const', 'const.violation'],
  required: ['required'],
  additionalProperties: ['additionalProperties'],
  minItems: ['minItems-1'],
  maxItems: ['maxItems', 'maxItems+1'],
  pattern: ['pattern'],
  format: ['format'],
  type: ['type.null', 'type.wrong'],
  anyOf: ['anyOf.none', 'anyOf.all'],
  if: ['conditional.then', 'conditional.else', 'conditional.else-not-required'],
};

describe('generated boundary cases', () => {
  it('every label agrees with the compiled validator, for every provider and several seeds', () => {
    for (const spec of specs) {
      const validate = compileValidators(spec).request;
      for (const seed of [1, 2, 99]) {
        for (const c of generateCases(spec, { seed })) {
          const { valid, errors } = validate(c.body);
          expect(
            valid,
            `${spec.id} seed ${seed} ${c.id} (${c.note}) labelled ${c.expect.outcome}: ${JSON.stringify(errors)}`,
          ).toBe(c.expect.outcome === 'accept');
        }
      }
    }
  });

  it('covers every constraint of every request schema with a case', () => {
    for (const spec of specs) {
      const cases = generateCases(spec);
      for (const constraint of walkConstraints(spec.create.requestSchema)) {
        // a non-object body: the transport's 400
        if (constraint.keyword === 'type' && constraint.field === '') continue;
        const covered = cases.some(
          (c) =>
            COVERS[constraint.keyword]!.includes(c.rule) &&
            (c.field === constraint.field || c.field.startsWith(`${constraint.field}/`) || constraint.keyword === 'if'),
        );
        expect(covered, `${spec.id}: no case for ${constraint.keyword} at ${constraint.field || '(root)'}`).toBe(true);
      }
    }
  });

  it('is identical for the same seed, and the seed changes the realistic valid cases', () => {
    const spec = specs.find((s) => s.id === 'evolink-kling-v3-t2v')!;
    expect(JSON.stringify(generateCases(spec, { seed: 7 }))).toBe(JSON.stringify(generateCases(spec, { seed: 7 })));
    const valid = (seed: number) =>
      generateCases(spec, { seed })
        .filter((c) => c.rule === 'valid')
        .map((c) => c.body);
    expect(valid(7)).not.toEqual(valid(8));
    expect(valid(7).some((b) => /[\u4e00-\u9fff]/.test(String(b.prompt)))).toBe(true);
  });

  it('includes the cases our users named, labelled from the spec', () => {
    const byId = (id: string) => new Map(generateCases(specs.find((s) => s.id === id)!).map((c) => [c.id, c]));
    const a = byId('aimanyi-kling-3.0-turbo');
    for (const variant of ['ascii', 'cjk', 'emoji', 'combining']) {
      expect(a.get(`prompt.maxLength.${variant}`)?.expect.outcome).toBe('accept');
      expect(a.get(`prompt.maxLength+1.${variant}`)?.expect).toEqual({ outcome: 'reject', status: 400 });
    }
    expect([...(a.get('prompt.maxLength.emoji')!.body.prompt as string)]).toHaveLength(3072);
    expect((a.get('prompt.maxLength.emoji')!.body.prompt as string).length).toBe(6144); // UTF-16 units
    const combining = a.get('prompt.maxLength.combining')!.body.prompt as string;
    expect([...combining]).toHaveLength(3072);
    expect([...new Intl.Segmenter().segment(combining)]).toHaveLength(1536); // graphemes
    expect(a.get('contents.0.type.const.violation.first_frame')?.expect.outcome).toBe('reject');
    expect(a.get('body.anyOf.none')?.expect.outcome).toBe('reject');
    expect(a.get('body.anyOf.all')?.expect.outcome).toBe('accept');
    expect(a.get('contents.minItems-1')?.body.contents).toEqual([]);
    expect(a.get('settings.additionalProperties')?.expect.outcome).toBe('reject');
    expect(a.get('settings.duration.type.non-integer')?.expect.outcome).toBe('reject');
    expect(a.get('settings.duration.type.numeric-string')?.body).toMatchObject({ settings: { duration: '5' } });
    expect(a.get('settings.resolution.enum.near-miss."720P"')?.expect.outcome).toBe('reject');
    expect(a.get('settings.aspect_ratio.enum.near-miss."16：9"')?.expect.outcome).toBe('reject');
    expect(a.get('settings.aspect_ratio.enum.near-miss." 16:9"')?.expect.outcome).toBe('reject');
    expect(a.get('prompt.normalise')?.expect.prompt).toBe('一只猫,在花园里;在花园里:奔跑');
    expect(a.get('settings.duration.maximum')?.expect.resolved).toMatchObject({ duration: 15, resolution: '720p' });

    const e = byId('evolink-kling-v3-t2v');
    expect(e.get('model_params.multi_prompt.maxItems+1')?.expect.outcome).toBe('reject');
    expect(e.get('model_params.multi_prompt.maxItems')?.expect.outcome).toBe('accept');
    expect(e.get('multi_prompt.duration_sum.mismatch')?.expect.outcome).toBe('reject');
    expect(e.get('model_params.multi_prompt.0.duration.type.number-for-string')?.expect.outcome).toBe('reject');
    expect([...e.values()].some((c) => c.rule === 'conditional.else-not-required' && c.field === '/prompt')).toBe(true);
  });

  it('generates thousands of cases quickly (the figure is measured in bench/, not asserted here)', () => {
    let total = 0;
    for (const spec of specs) for (let seed = 1; seed <= 5; seed++) total += generateCases(spec, { seed }).length;
    expect(total).toBeGreaterThan(2000);
  });
});
