import { getAt } from '../core/json-pointer.ts';
import type { JsonSchema, ProviderSpec } from './model.ts';

/** A body pointer as a pointer inside its schema: /settings/duration -> /properties/settings/properties/duration (array
 * indexes -> /items). */
export function schemaPointerOf(field: string): string {
  return field
    .split('/')
    .slice(1)
    .map((p) => (/^\d+$/.test(p) ? '/items' : `/properties/${p}`))
    .join('');
}

/** The create request's schema for one body field, or undefined when the request has no such field. */
export function fieldSchema(spec: ProviderSpec, field: string): JsonSchema | undefined {
  return getAt(spec.create.requestSchema, schemaPointerOf(field)) as JsonSchema | undefined;
}
