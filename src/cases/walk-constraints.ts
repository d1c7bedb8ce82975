import type { JsonSchema } from '../spec/model.ts';
import type { Constraint } from './types.ts';

const KEYWORDS = [
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'enum',
  'const',
  'required',
  'additionalProperties',
  'minItems',
  'maxItems',
  'pattern',
  'format',
  'type',
  'anyOf',
  'if',
];

/**
 * Every constraint of a request schema, with the body pointer it constrains. Array items are reached through
 * index 0 (/contents/0/type). Used both to generate cases and, in a test, to prove every constraint has one.
 */
export function walkConstraints(schema: JsonSchema | undefined, field = ''): Constraint[] {
  if (!schema || typeof schema !== 'object') return [];
  const out: Constraint[] = [];
  for (const keyword of KEYWORDS) {
    if (!(keyword in schema)) continue;
    if (keyword === 'additionalProperties' && schema.additionalProperties !== false) continue;
    if (keyword === 'required' && !(schema.required as string[]).length) continue;
    out.push({ field, keyword, schema });
  }
  for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>))
    out.push(...walkConstraints(sub, `${field}/${name}`));
  if (schema.items && typeof schema.items === 'object')
    out.push(...walkConstraints(schema.items as JsonSchema, `${field}/0`));
  for (const sub of (schema.allOf ?? []) as JsonSchema[]) if (sub.if) out.push({ field, keyword: 'if', schema: sub });
  return out;
}
