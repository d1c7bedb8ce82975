import { describeSource, isContested, mockClaim } from './claims.ts';
import { confidenceOf, listFacts, type Confidence } from './list-facts.ts';
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
  defaults: Record<
    string,
    {
      field: string;
      value: unknown;
      claims: { value: unknown; source: string; mock: boolean; confidence: Confidence }[];
      contested: boolean;
    }
  >;
  /** how many facts the spec states, and how many of them are our reading (docs/facts.md lists each) */
  facts: { total: number; inferred: number; observed: number };
}

export function summariseProvider(spec: ProviderSpec): ProviderSummary {
  const x = spec.x;
  const defaults: ProviderSummary['defaults'] = {};
  for (const [name, setting] of Object.entries(x.settings)) {
    defaults[name] = {
      field: setting.field,
      value: mockClaim(setting.default).value,
      claims: setting.default.map((c: Claim) => ({
        value: c.value,
        source: describeSource(x, c.source),
        mock: mockClaim(setting.default) === c,
        confidence: confidenceOf(spec, c.source, c.inferred),
      })),
      contested: isContested(setting.default),
    };
  }
  const facts = listFacts(spec);
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
    facts: {
      total: facts.length,
      inferred: facts.filter((f) => f.confidence === 'inferred').length,
      observed: facts.filter((f) => f.confidence === 'observed').length,
    },
  };
}

/** "5 (docs also say 6)" — the mock's claim first, the other documented values after it. */
export function formatDefault(d: ProviderSummary['defaults'][string]): string {
  const others = [...new Set(d.claims.filter((c) => !c.mock).map((c) => JSON.stringify(c.value)))].filter(
    (v) => v !== JSON.stringify(d.value),
  );
  const onlyInferred = (v: string) =>
    d.claims.filter((c) => JSON.stringify(c.value) === v).every((c) => c.confidence === 'inferred');
  const mark = (v: string) => `${JSON.parse(v) as string}${onlyInferred(v) ? ' (inferred)' : ''}`;
  const chosen = d.claims.find((c) => c.mock);
  const also = others.length ? ` (also documented: ${others.map(mark).join(', ')})` : '';
  return `${String(d.value)}${chosen?.confidence === 'inferred' ? ' (inferred)' : ''}${also}`;
}
