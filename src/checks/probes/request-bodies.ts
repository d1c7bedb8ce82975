import { deleteAt } from '../../core/json-pointer.ts';
import { fieldSchema } from '../../spec/field-schema.ts';
import type { JsonSchema, ProviderSpec } from '../../spec/model.ts';

/** A body the provider documents as valid: its first documented example. */
export function exampleBody(spec: ProviderSpec): Record<string, unknown> {
  return structuredClone(spec.create.examples[0]?.value ?? {}) as Record<string, unknown>;
}

/** The example with the duration, resolution and aspect ratio left out, so the provider must apply its defaults. */
export function defaultsBody(spec: ProviderSpec): Record<string, unknown> {
  const body = exampleBody(spec);
  for (const name of ['duration', 'resolution', 'aspect_ratio']) {
    const setting = spec.x.settings[name];
    if (setting) deleteAt(body, setting.field);
  }
  return body;
}

export { fieldSchema };

/** Every enum-constrained field of the request (two levels deep), as body pointers. */
export function enumFields(spec: ProviderSpec): string[] {
  const out: string[] = [];
  const walk = (schema: JsonSchema | undefined, at: string, depth: number) => {
    const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, sub] of Object.entries(props)) {
      if (Array.isArray(sub.enum)) out.push(`${at}/${name}`);
      else if (sub.type === 'object' && depth < 2) walk(sub, `${at}/${name}`, depth + 1);
    }
  };
  walk(spec.create.requestSchema, '', 0);
  return out;
}

/** Objects of the request that forbid unknown keys (additionalProperties: false), as body pointers ('' = root). */
export function closedObjects(spec: ProviderSpec): string[] {
  const out: string[] = [];
  const root = spec.create.requestSchema;
  if (root?.additionalProperties === false) out.push('');
  for (const [name, sub] of Object.entries((root?.properties ?? {}) as Record<string, JsonSchema>)) {
    if (sub.type === 'object' && sub.additionalProperties === false) out.push(`/${name}`);
  }
  return out;
}

export const hasPromptField = (spec: ProviderSpec) => fieldSchema(spec, spec.x.prompt.field) !== undefined;
