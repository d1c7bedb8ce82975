// the per-locale entry points: the package root loads every locale faker has (~140 ms at start, against ~30)
import type { Faker } from '@faker-js/faker';
import { faker as english } from '@faker-js/faker/locale/en';
import { faker as chinese } from '@faker-js/faker/locale/zh_CN';
import { getAt, setAt } from '../core/json-pointer.ts';
import type { JsonSchema, ProviderSpec } from '../spec/model.ts';
import type { BoundaryCase } from './types.ts';
import { fieldSchema } from '../spec/field-schema.ts';

type Draft = Omit<BoundaryCase, 'expect'> & { outcome: 'accept' | 'reject' };

/**
 * Realistic valid requests for the paid path: faker prompts in English and Chinese and mixed settings drawn from
 * each documented enum or range. Seeded: the same seed gives the same prompts and settings.
 */
// faker's prebuilt instances: en falls back to base, zh_CN to en and base (as `new Faker({ locale: [...] })` did)

export function validCases(spec: ProviderSpec, seed: number, count: number): Draft[] {
  english.seed(seed);
  chinese.seed(seed);
  const promptField = spec.x.prompt.field;
  const example =
    spec.create.examples.find((e) => typeof getAt(e.value, promptField) === 'string')?.value ??
    spec.create.examples[0]?.value ??
    {};
  const promptSchema = fieldSchema(spec, promptField);
  const out: Draft[] = [];
  for (let i = 0; i < count; i++) {
    const body = structuredClone(example) as Record<string, unknown>;
    const zh = i % 2 === 1;
    if (promptSchema) {
      const f = zh ? chinese : english;
      const text = zh
        ? [
            f.location.city(),
            '的',
            f.animal.type(),
            '在',
            f.color.human(),
            '的灯光下',
            f.word.verb(),
            ', 电影感慢镜头',
          ].join('')
        : `A ${f.color.human()} ${f.animal.type()} ${f.hacker.ingverb()} through ` +
          `${f.location.city()} at dusk, cinematic slow motion`;
      const max = Number(promptSchema.maxLength ?? 1000);
      setAt(body, promptField, [...text].slice(0, max).join(''));
    }
    for (const setting of Object.values(spec.x.settings)) {
      const schema = fieldSchema(spec, setting.field) as JsonSchema | undefined;
      if (!schema) continue;
      const value = pick(schema, english);
      if (value !== undefined) setAt(body, setting.field, value);
    }
    out.push({
      id: `valid.${i}`,
      rule: 'valid',
      field: '',
      note: `faker (${zh ? 'zh' : 'en'}) prompt, mixed settings`,
      body,
      outcome: 'accept',
    });
  }
  return out;
}

/** A documented value for a setting, drawn with faker's seeded generator. */
function pick(schema: JsonSchema, f: Faker): unknown {
  if (Array.isArray(schema.enum)) return f.helpers.arrayElement(schema.enum as unknown[]);
  if (typeof schema.minimum === 'number' && typeof schema.maximum === 'number')
    return f.number.int({ min: schema.minimum, max: schema.maximum });
  if (schema.type === 'boolean') return f.datatype.boolean();
  return undefined;
}
