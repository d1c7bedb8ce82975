import { isContested, mockClaim } from './claims.ts';
import type { Claim, ProviderSpec } from './model.ts';

/** One row of `kling-conformance specs`: what a person needs to pick and call a provider. */
export interface ProviderSummary {
  id: string;
  gateway: string;
  model: string;
  create: string;
  poll: string;
  pollInferred: boolean;
  availability: string;
  defaults: Record<string, { field: string; value: unknown; claims: { value: unknown; source: string; mock: boolean }[]; contested: boolean }>;
}

export function summariseProvider(spec: ProviderSpec): ProviderSummary {
  const x = spec.x;
  const defaults: ProviderSummary['defaults'] = {};
  for (const [name, setting] of Object.entries(x.settings)) {
    defaults[name] = {
      field: setting.field,
      value: mockClaim(setting.default).value,
      claims: setting.default.map((c: Claim) => ({ value: c.value, source: `${x.sources[c.source.ref]?.doc ?? c.source.ref} — ${c.source.part}`, mock: mockClaim(setting.default) === c })),
      contested: isContested(setting.default),
    };
  }
  const pollQuery = x.operations.poll.taskId.in === 'query' ? `?${x.operations.poll.taskId.name}={id}` : '';
  return {
    id: spec.id,
    gateway: x.provider.gateway,
    model: x.provider.model,
    create: `${spec.create.method} ${spec.create.path}`,
    poll: `${spec.poll.method} ${spec.poll.path}${pollQuery}`,
    pollInferred: Boolean(x.operations.poll.inferred),
    availability: x.availability.state,
    defaults,
  };
}

/** "5 (docs also say 6)" — the mock's claim first, the other documented values after it. */
export function formatDefault(d: ProviderSummary['defaults'][string]): string {
  const others = [...new Set(d.claims.filter((c) => !c.mock).map((c) => JSON.stringify(c.value)))].filter((v) => v !== JSON.stringify(d.value));
  return `${String(d.value)}${others.length ? ` (also documented: ${others.map((v) => JSON.parse(v) as unknown).join(', ')})` : ''}`;
}
