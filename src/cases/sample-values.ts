import type { JsonSchema } from '../spec/model.ts';

/** A value that satisfies a field schema on its own (used to add optional fields before mutating them). */
export function validSample(schema: JsonSchema): unknown {
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'uri' || String(schema.pattern ?? '').includes('https')) return 'https://example.com/hook';
      if (schema.pattern === '^[0-9]+$') return '5';
      return 'x'.repeat(Math.max(1, Number(schema.minLength ?? 1)));
    }
    case 'integer':
    case 'number':
      return Number(schema.minimum ?? 5) <= 5 && 5 <= Number(schema.maximum ?? 5) ? 5 : Number(schema.minimum ?? 0);
    case 'boolean':
      return false;
    case 'array':
      return schema.items ? [validSample(schema.items as JsonSchema)] : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      for (const name of (schema.required ?? []) as string[]) if (props[name]) out[name] = validSample(props[name]);
      return out;
    }
    default:
      return 'x';
  }
}

/** A value of a JSON type the schema does not allow (string → number, number → string, …). */
export function wrongTypeSample(schema: JsonSchema): unknown {
  const types = [schema.type].flat().filter(Boolean) as string[];
  if (types.length === 0) return undefined;
  const candidates: [string[], unknown][] = [
    [['string'], 12345],
    [['integer', 'number'], 'abc'],
    [['boolean'], 'true'],
    [['array'], {}],
    [['object'], []],
  ];
  const jsonType = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v);
  for (const [forTypes, value] of candidates) {
    if (!forTypes.some((t) => types.includes(t))) continue;
    const t = jsonType(value);
    if (!types.includes(t) && !(t === 'number' && types.includes('integer'))) return value;
  }
  return types.includes('string') ? true : 'abc';
}

/** A string that breaks a pattern while looking close to valid. */
export function patternViolation(schema: JsonSchema): string {
  const pattern = String(schema.pattern);
  if (pattern.includes('https')) return 'http://example.com/hook';
  if (pattern === '^[0-9]+$') return '5s';
  return ` ${String(validSample({ ...schema, pattern: undefined }))}`;
}
