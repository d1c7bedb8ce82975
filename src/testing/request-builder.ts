import { getAt, setAt } from '../core/json-pointer.ts';
import { pickClaim } from '../spec/claims.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { ProviderId, ProviderRequests } from '../generated/index.ts';

/**
 * A create request for a provider, typed by its documents (the generated `ProviderRequests`): the prompt at the
 * provider's prompt field, every documented setting at its field with its documented default (the claim the mock
 * follows), then your fields on top. What a test of your own client sends, without copying any provider's quirks.
 */
export async function buildRequest<Id extends ProviderId>(
  id: Id,
  fields: Partial<ProviderRequests[Id]> & { prompt?: string } = {},
  options: { specsDir?: string } = {},
): Promise<ProviderRequests[Id]> {
  return requestFor(await loadSpecById(id, options.specsDir), fields) as ProviderRequests[Id];
}

/** The same from a loaded spec (untyped: any provider folder, shipped or not). */
export function requestFor(spec: ProviderSpec, fields: Record<string, unknown> = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  // the fields the documents' own example always carries (a model id, say), before defaults and yours
  const example = (spec.create.examples[0]?.value ?? {}) as Record<string, unknown>;
  for (const [key, schema] of Object.entries(
    (spec.create.requestSchema?.properties ?? {}) as Record<string, { const?: unknown; enum?: unknown[] }>,
  )) {
    // a field with one documented value (a model id) is sent as the documents write it
    if (schema.const !== undefined) body[key] = schema.const;
    else if (schema.enum?.length === 1) body[key] = schema.enum[0];
    else if (
      (spec.create.requestSchema?.required as string[] | undefined)?.includes(key) &&
      example[key] !== undefined &&
      `/${key}` !== spec.x.prompt.field
    )
      body[key] = structuredClone(example[key]);
  }
  for (const setting of Object.values(spec.x.settings)) {
    if (getAt(body, setting.field) === undefined) setAt(body, setting.field, pickClaim(setting.default, 'mock').value);
  }
  const { prompt, ...rest } = fields;
  if (prompt !== undefined) setAt(body, spec.x.prompt.field, prompt);
  return mergeInto(body, structuredClone(rest));
}

/** Your fields over the defaults, object by object (a nested settings object keeps the defaults you did not set). */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(source)) {
    const t = target[k];
    target[k] =
      v && typeof v === 'object' && !Array.isArray(v) && t && typeof t === 'object' && !Array.isArray(t)
        ? mergeInto(t as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return target;
}
