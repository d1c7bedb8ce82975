import { isDeepStrictEqual } from 'node:util';
import { describeSource } from '../spec/claims.ts';
import { fieldSchema } from '../spec/field-schema.ts';
import type { JsonSchema, ProviderSpec, Source } from '../spec/model.ts';
import type { ClaimView, DriftItem } from './types.ts';

type Claimed = { provider: string; value: unknown; source?: Source; spec: ProviderSpec };

/** Every field of the request whose name is `name`, at any depth (arrays as /0), with its schema. */
function fieldsNamed(spec: ProviderSpec, name: string): { pointer: string; schema: JsonSchema }[] {
  const out: { pointer: string; schema: JsonSchema }[] = [];
  const walk = (schema: JsonSchema | undefined, at: string) => {
    if (!schema || typeof schema !== 'object') return;
    for (const [k, sub] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
      if (k === name) out.push({ pointer: `${at}/${k}`, schema: sub });
      walk(sub, `${at}/${k}`);
    }
    if (schema.items && typeof schema.items === 'object') walk(schema.items as JsonSchema, `${at}/0`);
  };
  walk(spec.create.requestSchema, '');
  return out;
}

const sourceOf = (schema: JsonSchema | undefined) => schema?.['x-source'] as Source | undefined;

/** The sound setting wherever a spec declares it (fal's /generate_audio), else any field named sound. */
function soundFields(spec: ProviderSpec): { pointer: string; value: unknown; source?: Source }[] {
  const declared = spec.x.settings.sound;
  const fields = declared
    ? [{ pointer: declared.field, schema: fieldSchema(spec, declared.field) ?? {} }]
    : fieldsNamed(spec, 'sound');
  return fields.map((f) => ({
    pointer: f.pointer,
    value: {
      type: f.schema.type,
      default: declared?.default.find((c) => c.mock)?.value ?? declared?.default[0]?.value ?? f.schema.default,
    },
    source: sourceOf(f.schema),
  }));
}

/** One cross-provider fact: an item when the providers' documents give more than one value. */
function family(fact: string, message: string, claimed: Claimed[]): DriftItem[] {
  const values = claimed.map((c) => c.value);
  if (values.every((v) => isDeepStrictEqual(v, values[0]))) return [];
  const claims: ClaimView[] = claimed.map((c) => ({
    value: c.value,
    source: `${c.provider}: ${c.source ? describeSource(c.spec.x, c.source) : 'no source'}`,
    mock: false,
  }));
  return [{ provider: '*', fact, kind: 'cross-provider', message, claims }];
}

/**
 * Part 3b: where the gateways' documents disagree with each other (and with upstream Kling, as the specs cite it):
 * status words, the duration and sound types, the 1080p price factor, the result-link life.
 */
export function crossDrift(specs: ProviderSpec[]): DriftItem[] {
  return [
    ...family(
      'status.vocabulary',
      'status words differ across gateways (and upstream Kling: legacy succeed, new succeeded)',
      specs.map((s) => ({
        provider: s.id,
        spec: s,
        value: [...Object.keys(s.x.lifecycle.statuses), ...(s.x.lifecycle.extraStatuses ?? []).map((c) => c.value)],
        source: s.x.lifecycle.source,
      })),
    ),
    ...family(
      'duration.type',
      'duration is an integer, a number or a string depending on the gateway (and on the field)',
      specs.flatMap((s) =>
        fieldsNamed(s, 'duration').map((f) => ({
          provider: `${s.id} ${f.pointer}`,
          spec: s,
          value: f.schema.type ?? (f.schema.enum ? typeof (f.schema.enum as unknown[])[0] : 'unspecified'),
          source: sourceOf(f.schema) ?? sourceOf(fieldSchema(s, f.pointer.split('/').slice(0, -2).join('/'))),
        })),
      ),
    ),
    ...family(
      'sound.type',
      'sound is a string on/off (default off) on one gateway and a boolean (default true) on another',
      specs.flatMap((s) => soundFields(s).map((f) => ({ provider: `${s.id} ${f.pointer}`, spec: s, ...f }))),
    ),
    ...family(
      'shot_type.values',
      "the multi-shot mode's words differ (EvoLink intelligence, fal intelligent)",
      specs.flatMap((s) =>
        fieldsNamed(s, 'shot_type').map((f) => ({
          provider: `${s.id} ${f.pointer}`,
          spec: s,
          value: f.schema.enum ?? f.schema.const ?? f.schema.type,
          source: sourceOf(f.schema),
        })),
      ),
    ),
    ...family(
      'price.multiplier.1080p',
      'the 1080p price factor: about 1.5× (seed 003), 1.333× (seed 002), 1.25× (upstream)',
      specs.flatMap((s) =>
        (s.x.pricing.multipliers ?? [])
          .filter((m) => Object.values(m.when).includes('1080p'))
          .flatMap((m) => m.claims.map((c) => ({ provider: s.id, spec: s, value: c.value, source: c.source }))),
      ),
    ),
    ...family(
      'result-link.lifetime',
      'result links live 24 h on the gateways and 30 days upstream (seed 003 reuses the upstream figure)',
      specs.flatMap((s) =>
        s.x.resultLink.lifetimeSeconds.map((c) => ({
          provider: s.id,
          spec: s,
          value: `${c.value / 3600} h`,
          source: c.source,
        })),
      ),
    ),
  ];
}
