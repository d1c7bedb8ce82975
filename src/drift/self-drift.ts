import { isDeepStrictEqual } from 'node:util';
import { describeSource, isContested, isInferred, mockClaim } from '../spec/claims.ts';
import { withClaims } from '../spec/build-model.ts';
import type { Claim, JsonSchema, ProviderSpec } from '../spec/model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { createAjv } from '../core/ajv.ts';
import { getAt } from '../core/json-pointer.ts';
import type { ClaimView, DriftItem } from './types.ts';
import { schemaPointerOf } from '../spec/field-schema.ts';

const view = (spec: ProviderSpec, claims: Claim[]): ClaimView[] =>
  claims.map((c) => ({ value: c.value, source: describeSource(spec.x, c.source), mock: c === mockClaim(claims) }));
const show = (v: unknown) => JSON.stringify(v);

export type Item = Omit<DriftItem, 'provider'>;

/**
 * Part 2 of the drift report: where one provider's own documents disagree, or where its spec's structure
 * contradicts itself. Every claim is listed with its source and which one the mock follows.
 */
export function selfDrift(spec: ProviderSpec): DriftItem[] {
  return [
    ...competingClaims(spec),
    ...examplesBreakingSchema(spec),
    ...defaultsOutsideSchema(spec),
    ...requiredButOptional(spec),
    ...requiredWithDefault(spec),
    ...proseOnlyRules(spec),
    ...missingFromSeedErrorTable(spec),
    ...extraStatusWords(spec),
  ].map((item) => ({ provider: spec.id, ...item }));
}

/** Facts the documents state more than one way: defaults, alternatives, error codes, link lifetime, price factors. */
export function competingClaims(spec: ProviderSpec): Item[] {
  const x = spec.x;
  const items: Item[] = [];
  const push = (item: Item) => items.push(item);
  for (const [name, setting] of Object.entries(x.settings)) {
    if (isContested(setting.default))
      push({
        fact: `default.${name}`,
        kind: 'competing-claims',
        message: `the documents disagree on the default ${name}: ${distinct(setting.default)}`,
        claims: view(spec, setting.default),
      });
  }
  for (const alt of x.alternatives ?? [])
    push({
      fact: alt.id,
      kind: 'competing-claims',
      message: alt.field
        ? `the documents contradict themselves on whether ${alt.field} is required: ` +
          `${alt.claims.map((c) => `${requiredReading(alt.field!, c.value)} (${c.source.part})`).join(' vs ')}`
        : `the documents disagree on ${alt.id.replace('.', ' of ')}: ` +
          `${alt.claims.map((c) => show(c.value)).join(' vs ')}`,
      claims: view(spec, alt.claims),
    });
  for (const [status, decl] of Object.entries(x.errors)) {
    if (decl.code && isContested(decl.code))
      push({
        fact: `error.${status}.code`,
        kind: 'competing-claims',
        message: `the documents name the ${status} error differently: ${distinct(decl.code)}`,
        claims: view(spec, decl.code),
      });
  }
  items.push(...authDrift(spec), ...codeStatusDrift(spec));
  if (isContested(x.resultLink.lifetimeSeconds))
    push({
      fact: 'result_link.lifetime',
      kind: 'competing-claims',
      message: `result link lifetime: ${distinct(x.resultLink.lifetimeSeconds)} s`,
      claims: view(spec, x.resultLink.lifetimeSeconds),
    });
  for (const m of x.pricing.multipliers ?? []) {
    if (isContested(m.claims))
      push({
        fact: `price.multiplier.${Object.values(m.when).join('+')}`,
        kind: 'competing-claims',
        message: `the ${Object.values(m.when).join('+')} price factor: ${distinct(m.claims)}`,
        claims: view(spec, m.claims),
      });
  }
  return items;
}

/** What a claim about a field says of it: its `required` list (or the schema's) names the field, or not. */
function requiredReading(field: string, value: Record<string, unknown> | string[]): string {
  const names = Array.isArray(value) ? value : ((value.required ?? []) as string[]);
  return names.includes(field.split('/').at(-1)!) ? 'required' : 'not required';
}

/** Examples that break the documented schema, under the chosen claims or under the other ones. */
export function examplesBreakingSchema(spec: ProviderSpec): Item[] {
  const x = spec.x;
  const items: Item[] = [];
  const push = (item: Item) => items.push(item);
  const other = withClaims(spec, 'other');
  for (const [label, s] of [
    ['the chosen claims', spec],
    ['the other claims', other],
  ] as const) {
    if (label === 'the other claims' && !(x.alternatives ?? []).length) continue;
    for (const ex of s.create.examples) {
      const errors = compileValidators(s).request(ex.value).errors;
      if (errors.length)
        push({
          fact: `example.${ex.name}`,
          kind: 'example-breaks-schema',
          message:
            `the documented example "${ex.name}" breaks ${label}' schema: ` +
            `${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`,
        });
    }
  }
  return items;
}

/** Defaults outside their own enum or range (each default claim against each schema claim for that field). */
export function defaultsOutsideSchema(spec: ProviderSpec): Item[] {
  const x = spec.x;
  const items: Item[] = [];
  const push = (item: Item) => items.push(item);
  const ajv = createAjv(['x-source', 'x-apifox-orders', 'x-apifox-enum']);
  for (const [name, setting] of Object.entries(x.settings)) {
    const fieldPointer = `${spec.create.requestSchemaPointer}${schemaPointerOf(setting.field)}`;
    const alternative = (x.alternatives ?? []).find((a) => a.pointer === fieldPointer);
    const schemas: { schema: JsonSchema; label: string }[] = alternative
      ? alternative.claims.flatMap((c) =>
          Array.isArray(c.value) ? [] : [{ schema: c.value, label: describeSource(x, c.source) }],
        )
      : [{ schema: getAt(spec.raw, fieldPointer) as JsonSchema, label: 'the request schema' }];
    for (const { schema, label } of schemas) {
      if (!schema) continue;
      const { 'x-source': _drop, ...plain } = schema as Record<string, unknown>;
      // one item per value outside this schema, naming every document that gives that default
      for (const [value, claims] of byValue(setting.default.filter((c) => !ajv.validate(plain, c.value))))
        push({
          fact: `default.${name}`,
          kind: 'default-outside-schema',
          message:
            `default ${name} ${value} (${claims.map((c) => describeSource(x, c.source)).join('; ')}) is ` +
            `outside ${show(plain.enum ?? { minimum: plain.minimum, maximum: plain.maximum })} (${label})`,
        });
    }
  }
  return items;
}

/** Claims grouped by their value (shown as JSON), in first-seen order. */
function byValue(claims: Claim[]): Map<string, Claim[]> {
  const groups = new Map<string, Claim[]>();
  for (const c of claims) groups.set(show(c.value), [...(groups.get(show(c.value)) ?? []), c]);
  return groups;
}

/**
 * Each top-level request field: its schema, the quoted document text, and whether the schema requires it. Fields
 * whose required-ness the spec records as competing claims (an alternative naming the field) are left out: that
 * conflict is reported once, as its competing-claims item.
 */
function requestFields(spec: ProviderSpec): { name: string; prop: JsonSchema; part: string; required: boolean }[] {
  const required = new Set((spec.create.requestSchema?.required ?? []) as string[]);
  const contested = new Set((spec.x.alternatives ?? []).flatMap((a) => (a.field ? [a.field] : [])));
  return Object.entries((spec.create.requestSchema?.properties ?? {}) as Record<string, JsonSchema>)
    .filter(([name]) => !contested.has(`/${name}`))
    .map(([name, prop]) => ({
      name,
      prop,
      part: (prop['x-source'] as { part?: string } | undefined)?.part ?? '',
      required: required.has(name),
    }));
}

/** Fields the documents call required that the schema makes optional or conditional. */
export function requiredButOptional(spec: ProviderSpec): Item[] {
  const items: Item[] = [];
  const push = (item: Item) => items.push(item);
  for (const { name, part, required } of requestFields(spec)) {
    if (!required && /\bRequired\b|必填/.test(part))
      push({
        fact: `required.${name}`,
        kind: 'required-vs-optional',
        message: `${name} is documented as required ("${part}") but is optional or conditional in the schema`,
      });
  }
  return items;
}

/** Fields the documents call required that also carry a default (a required field never falls back to one). */
export function requiredWithDefault(spec: ProviderSpec): Item[] {
  const items: Item[] = [];
  const push = (item: Item) => items.push(item);
  for (const { name, prop, part, required } of requestFields(spec)) {
    if (prop.default !== undefined && (required || /\bRequired\b|必填/.test(part)))
      push({
        fact: `required-default.${name}`,
        kind: 'required-vs-optional',
        message:
          `${name} is documented as required and with a default ${show(prop.default)} ("${part}"): ` +
          'a client cannot tell whether omitting it is refused or filled in',
      });
  }
  return items;
}

/** Rules stated only in prose. */
export function proseOnlyRules(spec: ProviderSpec): Item[] {
  const x = spec.x;
  const items: Item[] = [];
  const push = (item: Item) => items.push(item);
  for (const rule of x.rules ?? []) {
    if (rule.prose)
      push({
        fact: `rule.${rule.id}`,
        kind: 'prose-only-rule',
        message:
          `rule ${rule.id} exists only in prose (${describeSource(x, rule.source)}): a ` +
          `validator built from the documented schema alone does not enforce it`,
      });
  }
  return items;
}

/** Error statuses the provider's seed page does not list. */
export function missingFromSeedErrorTable(spec: ProviderSpec): Item[] {
  const x = spec.x;
  const items: Item[] = [];
  const push = (item: Item) => items.push(item);
  for (const [status, decl] of Object.entries(x.errors)) {
    if (!decl.code) continue;
    const fromSeed = decl.code.some((c) => (x.sources[c.source.ref]?.doc ?? '').startsWith('seeds/'));
    const fromOthers = decl.code.filter((c) => !c.inferred && !isInferred(spec.x, c.source));
    if (
      !fromSeed &&
      fromOthers.length &&
      Object.values(x.sources).some((s) => s.doc.startsWith('seeds/')) &&
      seedHasErrorTable(spec)
    ) {
      push({
        fact: `error.${status}`,
        kind: 'undocumented-in-seed',
        message:
          `${status} (${show(mockClaim(decl.code).value)}) is documented elsewhere ` +
          `(${describeSource(x, fromOthers[0]!.source)}) but missing from the seed page's ` +
          `error table`,
      });
    }
  }
  return items;
}

/** Status words documented outside the status vocabulary. */
export function extraStatusWords(spec: ProviderSpec): Item[] {
  const x = spec.x;
  const items: Item[] = [];
  const push = (item: Item) => items.push(item);
  for (const extra of x.lifecycle.extraStatuses ?? [])
    push({
      fact: `status.${extra.value}`,
      kind: 'extra-status-word',
      message:
        `status word "${extra.value}" is documented ` +
        `(${describeSource(x, extra.source)}) but is not in the status vocabulary ` +
        `${Object.keys(x.lifecycle.statuses).join('|')}`,
    });
  return items;
}

/** A seed page with its own error table: some error code claim cites a seed. */
function seedHasErrorTable(spec: ProviderSpec): boolean {
  return Object.values(spec.x.errors).some((d) =>
    d.code?.some((c) => (spec.x.sources[c.source.ref]?.doc ?? '').startsWith('seeds/')),
  );
}

function distinct(claims: Claim[]): string {
  const values: unknown[] = [];
  for (const c of claims) if (!values.some((v) => isDeepStrictEqual(v, c.value))) values.push(c.value);
  return values.map(show).join(' vs ');
}

/** Competing answers for one way of failing authentication (a guide's 401 vs an error table's 400/403). */
export function authDrift(spec: ProviderSpec): DriftItem[] {
  return Object.entries(spec.x.auth.conditions ?? {}).flatMap(([name, c]) => {
    if (!c?.otherClaims?.length) return [];
    const all = [c, ...c.otherClaims];
    const answer = (a: { status: number; code?: string | number }) =>
      a.code === undefined ? `${a.status}` : `${a.status} / ${a.code}`;
    return [
      {
        provider: spec.id,
        fact: `auth.${name}`,
        kind: 'competing-claims' as const,
        message: `the documents answer a ${name} credential differently: ${all.map(answer).join(' vs ')}`,
        claims: all.map((a, i) => ({
          value: { status: a.status, ...(a.code === undefined ? {} : { code: a.code }) },
          source: describeSource(spec.x, a.source),
          mock: i === 0,
        })),
      },
    ];
  });
}

/** One error code the documents give under two HTTP statuses (Kling's 1103: 403 in one table, 429 in another). */
export function codeStatusDrift(spec: ProviderSpec): DriftItem[] {
  const byCode = new Map<string, ClaimView[]>();
  for (const [status, decl] of Object.entries(spec.x.errors))
    for (const c of [...(decl.code ?? []), ...(decl.otherCodes ?? [])]) {
      const views = byCode.get(String(c.value)) ?? [];
      views.push({ value: Number(status), source: describeSource(spec.x, c.source), mock: 'mock' in c && !!c.mock });
      byCode.set(String(c.value), views);
    }
  return [...byCode.entries()]
    .filter(([, views]) => new Set(views.map((v) => v.value)).size > 1)
    .map(([code, views]) => ({
      provider: spec.id,
      fact: `error-code.${code}.status`,
      kind: 'competing-claims' as const,
      message: `error code ${code} is given with HTTP ${[...new Set(views.map((v) => v.value))].join(' and ')}`,
      claims: views,
    }));
}
