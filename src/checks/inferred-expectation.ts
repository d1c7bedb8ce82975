import { isInferred } from '../spec/claims.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { Finding } from './types.ts';

/**
 * An error answer (its status for a condition, its code and its body) is our reading when the documents give no
 * code for that status, or only codes we inferred: departures from it warn, unless --strict.
 */
export function errorAnswerInferred(spec: ProviderSpec, status: number): boolean {
  const codes = spec.x.errors[String(status)]?.code ?? [];
  return codes.length === 0 || codes.every((c) => c.inferred || isInferred(spec.x, c.source));
}

/** The findings of these kinds marked as resting on an inferred expectation (others kept as they are). */
export function markInferred(findings: Finding[] | undefined, kinds: Finding['kind'][], inferred: boolean): Finding[] {
  return (findings ?? []).map((f) =>
    kinds.includes(f.kind) && f.inferred === undefined ? { ...f, inferred: inferred || undefined } : f,
  );
}
