import { describeSource, isInferred } from '../spec/claims.ts';
import type { ProviderSpec, Source } from '../spec/model.ts';
import { fieldSchema } from './probes/request-bodies.ts';

export const sourceText = (spec: ProviderSpec, source: Source | undefined): string | undefined =>
  source ? describeSource(spec.x, source) : undefined;

/** Where a request field's constraint is documented: its own x-source, else the request schema's. */
export function fieldSource(spec: ProviderSpec, field: string): string | undefined {
  const own = fieldSchema(spec, field)?.['x-source'] as Source | undefined;
  const whole = (spec.create.requestSchema?.['x-rule-source'] ?? spec.create.requestSchema?.['x-source']) as
    | Source
    | undefined;
  return sourceText(spec, own ?? whole);
}

/** A claim as a person reads it: its value and where it is documented. */
export const describeClaim = (spec: ProviderSpec, claim: { value: unknown; source: Source }): string =>
  `${JSON.stringify(claim.value)} (${sourceText(spec, claim.source)})`;

/**
 * The constraint on a request field is our reading: the nearest x-source (the field's, else an enclosing
 * object's) is inferred. Rejections and boundary cases built on it warn instead of failing (unless --strict).
 */
export function inferredConstraint(spec: ProviderSpec, field: string): boolean {
  const parts = field.split('/');
  for (let n = parts.length; n >= 1; n--) {
    const source = fieldSchema(spec, parts.slice(0, n).join('/') || '')?.['x-source'] as Source | undefined;
    if (source) return isInferred(spec.x, source);
  }
  return false;
}
