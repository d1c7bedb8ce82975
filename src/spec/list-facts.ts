import { isInferred } from './claims.ts';
import type { JsonSchema, ProviderSpec, Source } from './model.ts';

export type Confidence = 'documented' | 'inferred' | 'observed';

/** One fact of a spec as a reviewer audits it: what, the value, how sure we are, and on whose word. */
export interface Fact {
  fact: string;
  value: unknown;
  confidence: Confidence;
  /** undefined only for a constraint no x-source covers: the fact-source test fails on it */
  source?: Source;
}

const CONSTRAINTS = [
  'type',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minItems',
  'maxItems',
  'required',
  'additionalProperties',
] as const;

export function confidenceOf(spec: ProviderSpec, source: Source | undefined, inferred?: boolean | string): Confidence {
  if (source?.observed) return 'observed';
  return inferred || (source && isInferred(spec.x, source)) ? 'inferred' : 'documented';
}

/** Every constraint of the request schema, with the x-source of the nearest property or object that has one. */
function requestFacts(spec: ProviderSpec): Fact[] {
  const out: Fact[] = [];
  const walk = (schema: JsonSchema | undefined, at: string, inherited: Source | undefined) => {
    if (!schema || typeof schema !== 'object') return;
    const own = (schema['x-source'] ?? schema['x-rule-source']) as Source | undefined;
    const source = own ?? inherited;
    for (const k of CONSTRAINTS) {
      if (schema[k] === undefined || (k === 'type' && (schema.properties || schema.items))) continue;
      out.push({ fact: `request${at || '/'} ${k}`, value: schema[k], confidence: confidenceOf(spec, source), source });
    }
    // the root object's source covers its own keywords (required, additionalProperties), not its fields'
    // constraints — unless the whole schema is the document's own, copied verbatim (x-verbatim: true)
    const passDown = at === '' && !schema['x-verbatim'] ? undefined : source;
    for (const [name, sub] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>))
      walk(sub, `${at}/${name}`, passDown);
    if (schema.items && typeof schema.items === 'object') walk(schema.items as JsonSchema, `${at}/*`, passDown);
  };
  walk(spec.create.requestSchema, '', undefined);
  return out;
}

/**
 * The callback rules, the documented waits before each redelivery where the documents give them, and each rule on
 * the URL's parts with its own source and confidence.
 */
function callbackFacts(spec: ProviderSpec): Fact[] {
  const callbacks = spec.x.callbacks;
  if (!callbacks) return [];
  const confidence = confidenceOf(spec, callbacks.source, callbacks.inferred);
  const f = (fact: string, value: unknown): Fact => ({ fact, value, confidence, source: callbacks.source });
  const rules = { httpsOnly: callbacks.httpsOnly, forbidInternal: callbacks.forbidInternal, events: callbacks.events };
  return [
    f('callbacks', rules),
    ...(callbacks.retryDelaysSeconds ? [f('callbacks.retry-delays-s', callbacks.retryDelaysSeconds)] : []),
    ...(callbacks.field ? [payloadFact(spec)] : []),
    ...(callbacks.urlRules ?? []).map((r) => ({
      fact: `callbacks.url.${r.rule}`,
      value: r.badPorts ?? r.origin ?? true,
      confidence: confidenceOf(spec, r.source, r.inferred),
      source: r.source,
    })),
    ...(callbacks.requiresConfiguredWebhook ? [webhookFact(spec)] : []),
    ...deliveryFacts(spec),
    ...signatureFacts(spec),
  ];
}

/** How failed deliveries are sent again, and where a request without a callback URL is called back. */
function deliveryFacts(spec: ProviderSpec): Fact[] {
  const { redelivery: r, accountDefault: d } = spec.x.callbacks!;
  return [
    ...(r
      ? [
          {
            fact: 'callbacks.redelivery',
            value: { delivered: r.delivered, waitFrom: r.waitFrom, timestamp: r.timestamp },
            confidence: confidenceOf(spec, r.source, r.inferred),
            source: r.source,
          },
        ]
      : []),
    ...(d
      ? [
          {
            fact: 'callbacks.account-default',
            value: 'a request without the callback field is called back at the account default URL',
            confidence: confidenceOf(spec, d.source, d.inferred),
            source: d.source,
          },
        ]
      : []),
  ];
}

/**
 * How a delivery is signed: the header, HMAC and signed bytes as documented; the id and timestamp headers, the
 * timestamp's format and the event ids, each with its own confidence (the mock signs by all of them).
 */
function signatureFacts(spec: ProviderSpec): Fact[] {
  const s = spec.x.callbacks!.signature;
  if (!s) return [];
  const f = (fact: string, value: unknown, inferred?: string): Fact => ({
    fact: `callbacks.signature${fact}`,
    value,
    confidence: confidenceOf(spec, s.source, inferred),
    source: s.source,
  });
  return [
    f('', { header: s.header, value: s.value, algorithm: s.algorithm, signedBytes: s.signedBytes }),
    ...(s.idHeader || s.timestampHeader
      ? [f('.headers', { id: s.idHeader, timestamp: s.timestampHeader }, s.inferred)]
      : []),
    ...(s.timestamp ? [f('.timestamp', s.timestamp.format, s.timestamp.inferred)] : []),
    ...(s.eventId ? [f('.event-id', `${s.eventId.prefix}<hex>`, s.eventId.inferred)] : []),
    ...(s.rotation
      ? [
          {
            ...f('.rotation', { overlapSeconds: s.rotation.overlapSeconds, separator: s.rotation.separator }),
            confidence: confidenceOf(spec, s.rotation.source, s.rotation.inferred),
            source: s.rotation.source,
          },
        ]
      : []),
  ];
}

/** A callback URL refused unless the account's webhooks are configured: what it needs, and the documented answer. */
function webhookFact(spec: ProviderSpec): Fact {
  const w = spec.x.callbacks!.requiresConfiguredWebhook!;
  return {
    fact: 'callbacks.requires-configured-webhook',
    value: { needs: w.needs, status: w.status, code: w.code },
    confidence: confidenceOf(spec, w.source),
    source: w.source,
  };
}

/**
 * What a callback POSTs: the documented event per way a task ends (`payload`), else the poll body, or the part of it
 * at `payloadPointer`, with the source of the format; our reading (`payloadInferred`) where the documents give none.
 */
function payloadFact(spec: ProviderSpec): Fact {
  const cb = spec.x.callbacks!;
  if (cb.payload)
    return {
      fact: 'callbacks.payload',
      value: Object.fromEntries(Object.entries(cb.payload.events).map(([end, e]) => [end, e.type])),
      confidence: confidenceOf(spec, cb.payload.source, cb.payload.inferred),
      source: cb.payload.source,
    };
  const source = cb.payloadSource ?? cb.source;
  return {
    fact: 'callbacks.payload',
    value: cb.payloadInferred ?? `the poll body${cb.payloadPointer ? ` at ${cb.payloadPointer}` : ''}`,
    confidence: confidenceOf(spec, source, cb.payloadInferred),
    source,
  };
}

/** Every fact of a provider's spec: request constraints, defaults, competing claims, errors, retry advice, rules… */
export function listFacts(spec: ProviderSpec): Fact[] {
  const x = spec.x;
  const f = (fact: string, value: unknown, source: Source | undefined, inferred?: boolean | string): Fact => ({
    fact,
    value,
    confidence: confidenceOf(spec, source, inferred),
    source,
  });
  return [
    ...requestFacts(spec),
    ...Object.entries(x.settings).flatMap(([name, s]) =>
      s.default.map((c) => f(`default.${name}`, c.value, c.source, c.inferred)),
    ),
    ...(x.alternatives ?? []).flatMap((a) => a.claims.map((c) => f(`claim.${a.id}`, c.value, c.source, c.inferred))),
    ...x.availability.claims.map((c) => f('availability', c.value, c.source, c.inferred)),
    f('lifecycle.statuses', Object.keys(x.lifecycle.statuses), x.lifecycle.source, x.lifecycle.inferred),
    ...(x.lifecycle.extraStatuses ?? []).map((c) => f('lifecycle.extra-status', c.value, c.source, c.inferred)),
    ...x.resultLink.lifetimeSeconds.map((c) => f('result-link.lifetime-seconds', c.value, c.source, c.inferred)),
    f(
      'result-link.expired-status',
      x.resultLink.expired.status,
      x.resultLink.expired.source,
      x.resultLink.expired.inferred,
    ),
    ...Object.entries(x.errors).flatMap(([status, e]) =>
      [...(e.code ?? []), ...(e.otherCodes ?? [])].map((c) => f(`error.${status}.code`, c.value, c.source, c.inferred)),
    ),
    ...Object.entries(x.retry).map(([status, a]) =>
      f(
        `retry.${status}`,
        { retry: a.retry, delaysMs: a.delaysMs },
        a.source,
        // the advice is our reading where its delays are, or where it says why without naming only the count
        a.delaysInferred || (a.inferred && !a.countInferred) ? (a.inferred ?? true) : undefined,
      ),
    ),
    ...(x.rules ?? []).map((r) =>
      f(`rule.${r.id}`, { rule: r.kind === 'schema' ? r.message : r.kind, status: r.status }, r.source),
    ),
    ...Object.entries(x.errors).flatMap(([status, e]) =>
      e.source ? [f(`error.${status}.body`, e.body, e.source, e.inferred)] : [],
    ),
    ...Object.entries(x.auth.conditions ?? {}).flatMap(([name, c]) =>
      c
        ? [c, ...(c.otherClaims ?? [])].map((a) =>
            f(`auth.${name}`, { status: a.status, code: a.code }, a.source, a.inferred),
          )
        : [],
    ),
    ...(x.resultLink.ttlPointer
      ? [f('result-link.ttl-pointer', x.resultLink.ttlPointer.pointer, x.resultLink.ttlPointer.source)]
      : []),
    ...(x.pricing.quotes ?? []).map((q) =>
      f('pricing.quote', { settings: q.settings, seconds: q.durationSeconds, amount: q.amount }, q.source),
    ),
    ...(x.statements ?? []).map((st) => f(`statement.${st.id}`, st.text, st.source, st.inferred)),
    ...(x.normalise ?? []).map((n) => f(`normalise${n.field}`, n.map, n.source)),
    ...(x.idempotency ? [f('idempotency', x.idempotency.field, x.idempotency.source)] : []),
    ...callbackFacts(spec),
    ...(x.rateLimit ? [f('rate-limit', x.rateLimit.create, x.rateLimit.source)] : []),
    ...(x.rateLimit?.scope ? [f('rate-limit.scope', x.rateLimit.scope.per, x.rateLimit.scope.source)] : []),
    f('pricing', x.pricing.kind, x.pricing.source),
    f('first-frame', x.firstFrame.outcome, x.firstFrame.source),
  ];
}
