import { describe, expect, it, beforeAll } from 'vitest';
import { loadAllSpecs } from '../spec/load-spec.ts';
import { withClaims } from '../spec/build-model.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from './compile-validators.ts';

let specs: Map<string, ProviderSpec>;
beforeAll(async () => {
  specs = new Map((await loadAllSpecs()).map((s) => [s.id, s]));
});
const validate = (id: string, body: unknown) => compileValidators(specs.get(id)!).request(body);

describe('every example body in the seeds validates for its provider', () => {
  it('seven examples of seed 003, previews of 000 and 001, the body of 004, examples of 002', () => {
    const counts: Record<string, number> = {};
    for (const spec of specs.values()) {
      for (const example of spec.create.examples) {
        const result = compileValidators(spec).request(example.value);
        expect(result.errors, `${spec.id} ${example.name}`).toEqual([]);
        counts[spec.id] = (counts[spec.id] ?? 0) + 1;
      }
    }
    expect(counts).toEqual(
      expect.objectContaining({
        'aimanyi-kling-3.0-turbo': 7,
        'toapis-kling-3.0-turbo': 1,
        'toapis-kling-v3-fast': 1,
        'apiinone-kling-3': 1,
        'evolink-kling-v3-t2v': 2,
      }),
    );
    // and every other provider's documented examples, whatever folders specs/ holds
    expect(Object.keys(counts).sort()).toEqual(
      [...specs.values()]
        .filter((s) => s.create.examples.length)
        .map((s) => s.id)
        .sort(),
    );
  });

  it("records as a documented conflict that ToAPIs' own preview breaks the page's parameter table", () => {
    // Under the table's claims (model gemini-omni-flash, duration 6|10, 720P only) the page's preview is invalid.
    const tableSpec = withClaims(specs.get('toapis-kling-3.0-turbo')!, 'other');
    const preview = tableSpec.create.examples[0]!.value;
    const result = compileValidators(tableSpec).request(preview);
    expect(result.valid).toBe(false);
    expect(result.errors.map((e) => e.pointer).sort()).toEqual(['/duration', '/model', '/resolution']);
  });
});

describe('documented rejections, each with a readable error naming its field', () => {
  const A = 'aimanyi-kling-3.0-turbo';
  it.each([
    [
      'a contents item of type first_frame',
      { contents: [{ type: 'first_frame', text: 'a cat' }] },
      '/contents/0/type',
      'must be "prompt" (got "first_frame")',
    ],
    ['duration 16', { prompt: 'a cat', settings: { duration: 16 } }, '/settings/duration', 'must be <= 15 (got 16)'],
    ['duration 2', { prompt: 'a cat', settings: { duration: 2 } }, '/settings/duration', 'must be >= 3 (got 2)'],
    ['a 3073-character prompt', { prompt: 'x'.repeat(3073) }, '/prompt', 'must be at most 3072 characters (got 3073)'],
    ['neither prompt nor contents', { settings: { duration: 5 } }, '/', 'prompt is required'],
    [
      'an unknown key inside settings',
      { prompt: 'a cat', settings: { fps: 30 } },
      '/settings/fps',
      'is not an allowed field here',
    ],
    [
      'aspect ratio 4:3',
      { prompt: 'a cat', settings: { aspect_ratio: '4:3' } },
      '/settings/aspect_ratio',
      'must be one of "16:9", "9:16", "1:1" (got "4:3")',
    ],
  ])('seed 003 rejects %s', (_, body, pointer, message) => {
    const result = validate(A, body);
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual(
      expect.objectContaining({ pointer, message: expect.stringContaining(message) }),
    );
  });

  it('rejects aspect ratio 4:3 and durations 2/16 for every provider that documents a range', () => {
    for (const spec of specs.values()) {
      const field = spec.x.settings.aspect_ratio.field;
      const body = structuredClone(spec.create.examples[0]!.value) as Record<string, unknown>;
      const set = (pointer: string, value: unknown) => {
        const parts = pointer.split('/').slice(1);
        let node = body;
        for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
        node[parts.at(-1)!] = value;
      };
      set(field, '4:3');
      expect(
        compileValidators(spec)
          .request(body)
          .errors.map((e) => e.pointer),
        spec.id,
      ).toContain(field);
      set(field, '16:9');
      for (const d of [2, 16]) {
        set(spec.x.settings.duration.field, d);
        expect(compileValidators(spec).request(body).valid, `${spec.id} duration ${d}`).toBe(false);
      }
    }
  });

  it(
    'applies the multi-shot rules of seed 002: prompt may be empty only in ' + 'customize mode, shot durations add up',
    () => {
      const E = 'evolink-kling-v3-t2v';
      const base = { model: 'kling-v3-text-to-video', duration: 10 };
      expect(validate(E, { ...base, prompt: '' }).valid).toBe(false);
      const shots = [
        { index: 1, prompt: 'a', duration: '5' },
        { index: 2, prompt: 'b', duration: '5' },
      ];
      expect(
        validate(E, {
          ...base,
          prompt: '',
          model_params: { multi_shot: true, shot_type: 'customize', multi_prompt: shots },
        }).errors,
      ).toEqual([]);
      expect(validate(E, { ...base, model_params: { multi_shot: true } }).errors.map((e) => e.pointer)).toContain(
        '/model_params/shot_type',
      );
      const uneven = validate(E, {
        ...base,
        model_params: { multi_shot: true, shot_type: 'customize', multi_prompt: [shots[0]] },
      });
      expect(uneven.errors).toContainEqual(
        expect.objectContaining({
          rule: 'multi_prompt.duration_sum',
          message: expect.stringContaining('add up to 5, total is 10'),
        }),
      );
      const seven = Array.from({ length: 7 }, (_, i) => ({ index: i + 1, prompt: 'x', duration: '1' }));
      expect(
        validate(E, {
          ...base,
          duration: 7,
          model_params: { multi_shot: true, shot_type: 'customize', multi_prompt: seven },
        })
          .errors.map((e) => e.message)
          .join(),
      ).toContain('at most 6 items');
    },
  );

  it('applies seed 004: prompt not required when multi_shots is true', () => {
    const P = 'apiinone-kling-3';
    expect(validate(P, { model: 'kling-3' }).valid).toBe(false);
    expect(
      validate(P, { model: 'kling-3', multi_shots: true, multi_prompt: [{ prompt: 'a', duration: 5 }] }).valid,
    ).toBe(true);
  });

  it('compiles each validator once per provider', () => {
    const spec = specs.get(A)!;
    expect(compileValidators(spec)).toBe(compileValidators(spec));
  });
});
