import { isDeepStrictEqual } from 'node:util';
import { getAt } from '../core/json-pointer.ts';
import type { ProviderSpec } from './model.ts';

/**
 * Where a provider documents an envelope (the JSON-Schema gateway's: HTTP 200 with `code` 0 = success, non-zero
 * = failure), a 2xx whose code is not a success value failed. Returns the failing code, or undefined when the
 * answer succeeded or no envelope is documented.
 */
export function envelopeFailure(
  spec: ProviderSpec,
  status: number | undefined,
  body: unknown,
): { code: unknown; pointer: string } | undefined {
  const env = spec.x.envelope;
  if (!env || status === undefined || status < 200 || status >= 300) return undefined;
  const code = getAt(body, env.codePointer);
  return code !== undefined && !env.success.some((s) => isDeepStrictEqual(s, code))
    ? { code, pointer: env.codePointer }
    : undefined;
}

/** The first string at the primary pointer or, when it is empty, at a documented fallback. */
export function firstString(body: unknown, pointers: (string | undefined)[]): string | undefined {
  for (const p of pointers) {
    if (!p) continue;
    const v = getAt(body, p);
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}
