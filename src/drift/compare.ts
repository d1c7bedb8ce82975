import { estimatePrice } from '../spec/price.ts';
import { isInferred } from '../spec/claims.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import { setAt } from '../core/json-pointer.ts';
import type { JsonSchema, ProviderSpec, Source } from '../spec/model.ts';
import { fieldSchema } from '../spec/field-schema.ts';

export interface Comparison {
  providers: string[];
  /** the model maker's own API (provider.role upstream), shown first: the reference each gateway departs from */
  upstream?: string;
  rows: { aspect: string; values: Record<string, string>; differs: boolean; departsFromUpstream?: string[] }[];
}

/** Part 3: how each gateway exposes the same model, one row per aspect, differences marked; upstream first. */
export function compareProviders(given: ProviderSpec[]): Comparison {
  const specs = [
    ...given.filter((s) => s.x.provider.role === 'upstream'),
    ...given.filter((s) => s.x.provider.role !== 'upstream'),
  ];
  const upstream = specs.find((s) => s.x.provider.role === 'upstream')?.id;
  const rows: Comparison['rows'] = ASPECTS.map(([aspect, value]) => {
    const values = Object.fromEntries(specs.map((s) => [s.id, value(s)]));
    const departs = upstream
      ? specs.filter((s) => s.id !== upstream && values[s.id] !== values[upstream]).map((s) => s.id)
      : undefined;
    return {
      aspect,
      values,
      differs: new Set(Object.values(values)).size > 1,
      ...(departs ? { departsFromUpstream: departs } : {}),
    };
  });
  return { providers: specs.map((s) => s.id), ...(upstream ? { upstream } : {}), rows };
}

const field = (s: ProviderSpec, name: string) => s.x.settings[name]?.field.slice(1).replace(/\//g, '.') ?? '—';
const schemaOf = (s: ProviderSpec, name: string) =>
  s.x.settings[name] ? fieldSchema(s, s.x.settings[name]!.field) : undefined;
const claims = (s: ProviderSpec, name: string) =>
  [
    ...new Set((s.x.settings[name]?.default ?? []).map((c) => `${JSON.stringify(c.value)}${ours(s, c, c.source)}`)),
  ].join(' / ') || '—';
// a field's row rests on our reading when its schema's x-source does
const fieldMark = (s: ProviderSpec, name: string) => ours(s, undefined, schemaOf(s, name)?.['x-source'] as never);

/** The aspects compared, in table order: each one's name and how a spec states it. */
const ASPECTS: [string, (s: ProviderSpec) => string][] = [
  [
    'availability',
    (s) => {
      const claim = s.x.availability.claims.find((c) => c.mock) ?? s.x.availability.claims[0];
      return `${s.x.availability.state}${ours(s, claim, claim?.source)}`;
    },
  ],
  ['create endpoint', (s) => `${s.create.method} ${s.create.path}`],
  [
    'poll endpoint',
    (s) => {
      const op = s.x.operations.poll;
      const query = op.taskId.in === 'query' ? `?${op.taskId.name}=` : '';
      return `${s.poll.method} ${s.poll.path}${query}${ours(s, op, op.source)}`;
    },
  ],
  [
    'auth',
    (s) => {
      const c = s.x.auth.credential;
      // written as $VARIABLES: a credential's place, never a value (and redaction leaves $VAR alone)
      const credential =
        c.kind === 'jwt'
          ? `$TOKEN (${c.algorithm} JWT, ${c.issuerClaim} = $${c.accessKeyEnv}, signed with $${c.secretKeyEnv}, ` +
            `${c.lifetimeSeconds} s)`
          : `$${c.env}`;
      return `${s.x.auth.header}: ${s.x.auth.prefix}${credential}${ours(s, undefined, s.x.auth.source)}`;
    },
  ],
  [
    'result endpoint',
    (s) => (s.operations.result ? `${s.operations.result.method} ${s.operations.result.path}` : 'in the poll body'),
  ],
  ['model id', (s) => s.x.provider.model],
  [
    'resolution field',
    (s) => `${field(s, 'resolution')}: ${enumOf(schemaOf(s, 'resolution'))}${fieldMark(s, 'resolution')}`,
  ],
  [
    'duration field',
    (s) =>
      `${field(s, 'duration')}: ${String(schemaOf(s, 'duration')?.type)} ${rangeOf(schemaOf(s, 'duration'))}` +
      fieldMark(s, 'duration'),
  ],
  [
    'aspect ratio field',
    (s) => `${field(s, 'aspect_ratio')}: ${enumOf(schemaOf(s, 'aspect_ratio'))}${fieldMark(s, 'aspect_ratio')}`,
  ],
  [
    'sound',
    (s) =>
      s.x.settings.sound
        ? `${field(s, 'sound')}: ${enumOf(schemaOf(s, 'sound'))}${fieldMark(s, 'sound')}`
        : 'not documented',
  ],
  ['default duration', (s) => claims(s, 'duration')],
  ['default resolution', (s) => claims(s, 'resolution')],
  ['default aspect ratio', (s) => claims(s, 'aspect_ratio')],
  ['default sound', (s) => claims(s, 'sound')],
  [
    'prompt limit',
    (s) => {
      const p = fieldSchema(s, s.x.prompt.field);
      return p ? `${String(p.maxLength ?? '—')} chars${ours(s, undefined, p['x-source'] as never)}` : 'contents[] only';
    },
  ],
  [
    'status words',
    (s) => Object.keys(s.x.lifecycle.statuses).join(' → ') + ours(s, s.x.lifecycle, s.x.lifecycle.source),
  ],
  [
    'error envelope',
    (s) => {
      const e = s.x.errors['400'];
      const codes = e?.code ?? [];
      const allOurs = codes.length > 0 && codes.every((c) => c.inferred || isInferred(s.x, c.source));
      return envelope(e?.body) + (allOurs || e?.inferred ? ' (inferred)' : ours(s, undefined, e?.source));
    },
  ],
  [
    '400 error code',
    (s) =>
      [
        ...new Set(
          s.x.errors['400']?.code?.map((c) => `${JSON.stringify(c.value)}${ours(s, c, c.source)}`) ?? [
            'not documented',
          ],
        ),
      ].join(' / '),
  ],
  [
    '429 retry advice',
    (s) => {
      const r = s.x.retry['429'];
      return r?.retry
        ? `${seconds(r.delaysMs)}${r.jitter ? ' + jitter' : ''}${r.retryAfter ? ', Retry-After' : ''}` +
            ours(s, r, r.source)
        : 'no retry';
    },
  ],
  [
    '500 retry advice',
    (s) => {
      const r = s.x.retry['500'];
      return r?.retry ? `${(r.delaysMs ?? []).length}× ${seconds(r.delaysMs)}${ours(s, r, r.source)}` : 'no retry';
    },
  ],
  [
    'idempotency key',
    (s) =>
      s.x.idempotency
        ? `${dotted(s.x.idempotency.field)}${s.x.idempotency.dedupe === false ? ' (lookup only)' : ''}` +
          ours(s, undefined, s.x.idempotency.source)
        : 'none',
  ],
  [
    'callbacks',
    (s) => {
      const c = s.x.callbacks;
      if (!c) return 'not documented';
      const where = c.field ? dotted(c.field) : (c.configured ?? 'configured outside the request');
      return [
        where,
        c.httpsOnly ? ', HTTPS only' : '',
        c.forbidInternal ? ', no internal IPs' : '',
        c.signature ? `, signed (${c.signature.header})` : '',
        c.requiresConfiguredWebhook
          ? `, needs the account's ${c.requiresConfiguredWebhook.needs.join(' and ')} ` +
            `(else ${c.requiresConfiguredWebhook.status} ${c.requiresConfiguredWebhook.code})`
          : '',
        c.events.length ? `, events ${c.events.join('|')}` : '',
        ours(s, c, c.source),
      ].join('');
    },
  ],
  ['price, default 5 s 720p, no sound', (s) => price(s, false) + ours(s, undefined, s.x.pricing.source)],
  ['price, default 5 s 720p, with sound', (s) => price(s, true) + ours(s, undefined, s.x.pricing.source)],
  [
    'result link life',
    (s) =>
      [
        ...new Set(
          s.x.resultLink.lifetimeSeconds.map(
            (c) => `${c.value / 3600} h${c.inferred || isInferred(s.x, c.source) ? ' (inferred)' : ''}`,
          ),
        ),
      ].join(' / '),
  ],
];

const enumOf = (s: JsonSchema | undefined) =>
  Array.isArray(s?.enum) ? (s!.enum as unknown[]).join('|') : s ? String(s.type) : '—';
const rangeOf = (s: JsonSchema | undefined) =>
  s && typeof s.minimum === 'number'
    ? `${s.minimum}-${String(s.maximum)}`
    : Array.isArray(s?.enum)
      ? (s!.enum as unknown[]).join('|')
      : '';

function envelope(template: unknown, prefix = ''): string {
  if (!template || typeof template !== 'object') return '';
  return `{${Object.entries(template as Record<string, unknown>)
    .map(([k, v]) => (v && typeof v === 'object' ? `${k}: ${envelope(v, prefix)}` : k))
    .join(', ')}}`;
}

/** The documented price of a 5 s clip at the provider's 720p-equivalent default, with and without sound. */
function price(s: ProviderSpec, sound: boolean): string {
  if (s.x.availability.state === 'not_available') return 'not available';
  const body: Record<string, unknown> = {};
  setAt(body, s.x.settings.duration.field, 5);
  if (s.x.settings.sound) {
    const soundSchema = fieldSchema(s, s.x.settings.sound.field);
    const value = soundSchema?.type === 'boolean' ? sound : sound ? 'on' : 'off';
    setAt(body, s.x.settings.sound.field, value);
  } else if (sound) return 'sound not documented';
  const estimate = estimatePrice(s, resolveSettings(s, body));
  if (estimate.amount === undefined) return estimate.explanation.split(';')[0]!;
  const usd = estimate.currency !== 'USD' && estimate.usd !== undefined ? ` (≈ $${estimate.usd})` : '';
  return `${estimate.amount} ${estimate.currency}${usd}`;
}

/** " (inferred)" where a fact is our reading of the documents: marked on the fact, or on the source it cites */
const ours = (s: ProviderSpec, fact: { inferred?: unknown } | undefined, source: Source | undefined) =>
  fact?.inferred || (source && isInferred(s.x, source)) ? ' (inferred)' : '';
/** 1000, 2000 → "1s/2s" */
const seconds = (delaysMs: number[] | undefined) => (delaysMs ?? []).map((d) => `${d / 1000}s`).join('/');
/** a JSON pointer as a dotted path: /options/seed → options.seed */
const dotted = (pointer: string) => pointer.slice(1).replace(/\//g, '.');
