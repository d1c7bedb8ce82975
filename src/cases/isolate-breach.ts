import { getAt, pointersOverlap, setAt } from '../core/json-pointer.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from '../validate/compile-validators.ts';

/**
 * A case meant to break one rule must break only that one: where removing `field` also breaks another rule (the
 * multi-shot example's empty prompt is valid only while shot_type says customize), each other field at fault is
 * given the value a documented example has for it. The body unchanged when nothing else is wrong or nothing fixes it.
 */
export function isolateBreach(
  spec: ProviderSpec,
  body: Record<string, unknown>,
  field: string,
): Record<string, unknown> {
  const validate = compileValidators(spec).request;
  const others = (b: unknown) => validate(b).errors.filter((e) => !pointersOverlap(e.pointer, field));
  let out = body;
  for (const error of others(body)) {
    for (const example of spec.create.examples) {
      const value = getAt(example.value, error.pointer);
      if (value === undefined) continue;
      const patched = structuredClone(out);
      setAt(patched, error.pointer, structuredClone(value));
      if (others(patched).length < others(out).length) {
        out = patched;
        break;
      }
    }
  }
  return others(out).length < others(body).length ? out : body;
}
