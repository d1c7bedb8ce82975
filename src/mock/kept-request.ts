import type { ProviderSpec } from '../spec/model.ts';

/**
 * The most of a create request a task keeps, in JSON characters. Bodies up to the mock's 1 MiB limit are accepted
 * whole, but 3,000 of them kept per task held 3 GB: past this bound a task keeps what the spec declares and drops
 * undeclared fields first, then the largest, until it fits (what was dropped is listed on /__mock/tasks).
 */
export const MAX_KEPT_REQUEST_CHARS = 16 * 1024;

export function keptRequest(
  spec: ProviderSpec,
  body: Record<string, unknown>,
  chars: number,
): { request: Record<string, unknown>; dropped?: string[] } {
  if (chars <= MAX_KEPT_REQUEST_CHARS) return { request: body };
  const declared = new Set(Object.keys((spec.create.requestSchema?.properties as object | undefined) ?? {}));
  const sizes = Object.entries(body).map(([key, value]) => ({
    key,
    size: key.length + (JSON.stringify(value)?.length ?? 0) + 4,
    declared: declared.has(key),
  }));
  // undeclared fields go first, then the largest
  sizes.sort((a, b) => Number(a.declared) - Number(b.declared) || b.size - a.size);
  let total = sizes.reduce((n, s) => n + s.size, 2);
  const request = { ...body };
  const dropped: string[] = [];
  for (const { key, size } of sizes) {
    if (total <= MAX_KEPT_REQUEST_CHARS) break;
    delete request[key];
    dropped.push(key);
    total -= size;
  }
  return { request, dropped };
}
