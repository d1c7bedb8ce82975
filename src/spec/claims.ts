import { isDeepStrictEqual } from 'node:util';
import type { Claim, ClaimChoice, Source, Conformance } from './model.ts';

/** The claim the mock follows: the one marked `mock: true`, else the first. */
export function mockClaim<T>(claims: readonly Claim<T>[]): Claim<T> {
  return claims.find((c) => c.mock) ?? claims[0]!;
}

/** The first claim whose value differs from the mock's; the mock's own when all agree. */
export function otherClaim<T>(claims: readonly Claim<T>[]): Claim<T> {
  const chosen = mockClaim(claims);
  return claims.find((c) => !isDeepStrictEqual(c.value, chosen.value)) ?? chosen;
}

export function pickClaim<T>(claims: readonly Claim<T>[], choice: ClaimChoice): Claim<T> {
  return choice === 'mock' ? mockClaim(claims) : otherClaim(claims);
}

/** True when the documents disagree on this fact (two claims with different values). */
export function isContested(claims: readonly Claim[]): boolean {
  return claims.some((c) => !isDeepStrictEqual(c.value, claims[0]!.value));
}

/**
 * Our reading, not a document's word: the source says so, or the document it cites is one we only infer from
 * (e.g. another product's page). Checks built on it warn instead of failing unless --strict.
 */
export function isInferred(x: Conformance, source: Source): boolean {
  return Boolean(source.inferred || x.sources[source.ref]?.confidence === 'inferred');
}

/**
 * "seeds/000_….txt — 请求预览" : a source as a person reads it. A document we only infer from says why (another
 * product's page), so a reader sees at once what the citation is worth.
 */
export function describeSource(x: Conformance, source: Source): string {
  const doc = x.sources[source.ref]?.doc ?? source.ref;
  const why = x.sources[source.ref]?.confidence === 'inferred' ? x.sources[source.ref]?.why : undefined;
  const mark = source.observed
    ? ` (observed ${source.observed.date}, request ${source.observed.requestId})`
    : isInferred(x, source)
      ? why
        ? ` (inferred: ${why})`
        : ' (inferred)'
      : '';
  return `${doc} — ${source.part}${mark}`;
}
