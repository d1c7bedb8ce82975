import { isDeepStrictEqual } from 'node:util';
import { buildSpecModel } from './build-model.ts';
import { describeSource, mockClaim } from './claims.ts';
import type { Claim, ProviderSpec } from './model.ts';
import type { Alternative } from './request-model.ts';

/** The provider as one documented claim of one alternative describes it, every other fact as the spec chose. */
export interface AlternativeSpec {
  alternative: string;
  /** (a `required` list's claim holds the list of names: its value is an array) */
  claim: Claim<Record<string, unknown>>;
  /** "… (source)" for reports */
  describe: string;
  /** the claim the spec chose for the same fact, described the same way: the other side of the disagreement */
  chosen: string;
  /** the request body field the alternative is about (JSON pointer), when it is a request schema fact */
  field?: string;
  spec: ProviderSpec;
}

const cache = new WeakMap<ProviderSpec, AlternativeSpec[]>();

/** /components/schemas/CreateRequest/properties/settings/properties/duration -> /settings/duration */
function bodyField(spec: ProviderSpec, pointer: string): string | undefined {
  const root = spec.create.requestSchemaPointer;
  if (!root || !pointer.startsWith(root)) return undefined;
  return pointer
    .slice(root.length)
    .replace(/\/items/g, '/0')
    .replace(/\/properties\//g, '/');
}

/**
 * One spec per documented claim that differs from the chosen one, switching that alternative alone (switching all
 * at once would, e.g., make ToAPIs' table model id reject every body and hide the duration range it disagrees on).
 */
export function alternativeSpecs(spec: ProviderSpec): AlternativeSpec[] {
  const hit = cache.get(spec);
  if (hit) return hit;
  const out: AlternativeSpec[] = [];
  const alternatives = spec.x.alternatives ?? [];
  for (const alt of alternatives) {
    const chosen = mockClaim(alt.claims);
    for (const claim of alt.claims) {
      if (claim === chosen || isDeepStrictEqual(claim.value, chosen.value)) continue;
      const only: Alternative = { ...alt, claims: [{ ...claim, mock: true }] };
      const raw = structuredClone(spec.raw);
      const x = raw['x-conformance'] as { alternatives: Alternative[] };
      x.alternatives = alternatives.map((a) => (a.id === alt.id ? only : a));
      out.push({
        alternative: alt.id,
        claim: claim as Claim<Record<string, unknown>>,
        field: alt.field ?? bodyField(spec, alt.pointer),
        describe: `${alt.id} = ${JSON.stringify(claim.value)} (${describeSource(spec.x, claim.source)})`,
        chosen: `${alt.id} = ${JSON.stringify(chosen.value)} (${describeSource(spec.x, chosen.source)})`,
        spec: buildSpecModel({ file: spec.file, data: raw, lineOf: () => undefined }, spec.dir, 'mock'),
      });
    }
  }
  cache.set(spec, out);
  return out;
}
