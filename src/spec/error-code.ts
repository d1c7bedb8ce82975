import { getAt } from '../core/json-pointer.ts';
import type { ProviderSpec } from './model.ts';

/** Where an error body template puts the error code ({{error.code}}), e.g. /error/code or /code. */
export const codePointer = (template: unknown): string | undefined => placeholderPointer(template, '{{error.code}}');

/** Where an error body template puts a placeholder ({{error.message}}…): the first place, depth first. */
export function placeholderPointer(template: unknown, placeholder: string, at = ''): string | undefined {
  if (template === placeholder) return at;
  if (template && typeof template === 'object') {
    for (const [k, v] of Object.entries(template)) {
      const found = placeholderPointer(v, placeholder, `${at}/${k}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The error code an error body carries at the documented place, or undefined when none is documented or present. */
export function errorCodeOf(
  spec: ProviderSpec,
  status: number,
  body: unknown,
): { pointer: string; code: unknown } | undefined {
  const decl = spec.x.errors[String(status)];
  const pointer = decl ? codePointer(decl.body) : undefined;
  return pointer === undefined ? undefined : { pointer, code: getAt(body, pointer) };
}
