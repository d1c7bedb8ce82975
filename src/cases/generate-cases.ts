import { invalidRequestStatus } from '../spec/operations.ts';
import { deleteAt, getAt, setAt, hasAt } from '../core/json-pointer.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import { fieldSchema } from '../spec/field-schema.ts';
import type { JsonSchema, ProviderSpec } from '../spec/model.ts';
import { nearMisses, stringOfCodePoints, CHARACTER_VARIANTS } from './string-samples.ts';
import { patternViolation, validSample, wrongTypeSample } from './sample-values.ts';
import { walkConstraints } from './walk-constraints.ts';
import { conditionalCases } from './conditional-cases.ts';
import { validCases } from './valid-cases.ts';
import type { BoundaryCase, Constraint } from './types.ts';

export interface GenerateOptions {
  seed?: number;
  /** how many realistic valid cases (faker prompts, mixed settings) to add; default 20 */
  valid?: number;
}

/** `status`: a rule's own documented status for its breach, where it names one */
export type Draft = Omit<BoundaryCase, 'expect'> & { outcome: 'accept' | 'reject'; status?: number };

/**
 * Every documented constraint of the provider's create request, at and across its edges, each case labelled
 * accept/reject by the rule that made it (not by the validator: a test checks the two agree).
 */
export function generateCases(spec: ProviderSpec, options: GenerateOptions = {}): BoundaryCase[] {
  const seed = options.seed ?? 1;
  const drafts: Draft[] = [];
  for (const c of walkConstraints(spec.create.requestSchema)) drafts.push(...casesFor(spec, c));
  drafts.push(...conditionalCases(spec), ...ruleCases(spec), ...normalisationCases(spec));
  drafts.push(...validCases(spec, seed, options.valid ?? 20));
  const seen = new Set<string>();
  return drafts.map((d) => label(spec, d)).filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
}

function label(spec: ProviderSpec, d: Draft): BoundaryCase {
  const { outcome, status, ...rest } = d;
  if (outcome === 'reject') return { ...rest, expect: { outcome, status: status ?? invalidRequestStatus(spec) } };
  const expectPrompt = normalisedPrompt(spec, d.body);
  return {
    ...rest,
    expect: {
      outcome,
      resolved: resolveSettings(spec, d.body).values,
      ...(expectPrompt !== undefined ? { prompt: expectPrompt } : {}),
    },
  };
}

/**
 * A valid body that contains `field`: the documents' first (plainest) example, with any missing ancestor added as
 * a valid sample (an object sample carries its required keys), so a case changes one thing in a plain context.
 */
export function baseFor(spec: ProviderSpec, field: string): Record<string, unknown> | undefined {
  const body = structuredClone((spec.create.examples[0]?.value ?? {}) as Record<string, unknown>);
  const parts = field.split('/').slice(1);
  for (let i = 1; i <= parts.length; i++) {
    const pointer = `/${parts.slice(0, i).join('/')}`;
    if (hasAt(body, pointer)) continue;
    const schema = fieldSchema(spec, pointer);
    if (!schema) return undefined;
    setAt(body, pointer, validSample(schema));
  }
  return body;
}

export function casesFor(spec: ProviderSpec, c: Constraint): Draft[] {
  const base = baseFor(spec, c.field);
  if (!base) return [];
  const s = c.schema;
  const name = c.field.slice(1).replace(/\//g, '.') || 'body';
  const make = (
    rule: string,
    variant: string,
    outcome: Draft['outcome'],
    note: string,
    edit: (b: Record<string, unknown>) => void,
  ): Draft => {
    const body = structuredClone(base);
    edit(body);
    return { id: `${name}.${rule}${variant ? `.${variant}` : ''}`, rule, field: c.field, note, body, outcome };
  };
  const set = (value: unknown) => (b: Record<string, unknown>) => setAt(b, c.field, value);
  switch (c.keyword) {
    case 'minLength':
    case 'maxLength':
      return lengthCases(c, make, set);
    case 'minimum':
      return [
        make('minimum', '', 'accept', `= ${String(s.minimum)}`, set(s.minimum)),
        make('minimum-1', '', 'reject', `= ${Number(s.minimum) - 1}`, set(Number(s.minimum) - 1)),
      ];
    case 'maximum':
      return [
        make('maximum', '', 'accept', `= ${String(s.maximum)}`, set(s.maximum)),
        make('maximum+1', '', 'reject', `= ${Number(s.maximum) + 1}`, set(Number(s.maximum) + 1)),
      ];
    case 'enum':
      return enumCases(s.enum as unknown[], make, set);
    case 'const':
      return constCases(s, make, set);
    case 'required':
      return (s.required as string[]).map((r) =>
        make('required', r, 'reject', `without ${r}`, (b) => deleteAt(b, `${c.field}/${r}`)),
      );
    case 'additionalProperties':
      return [
        make('additionalProperties', '', 'reject', 'an unknown key kc_extra', (b) =>
          setAt(b, `${c.field}/kc_extra`, true),
        ),
      ];
    case 'minItems': {
      const n = Number(s.minItems);
      return n > 0
        ? [
            make('minItems-1', '', 'reject', `${n - 1} items`, (b) =>
              setAt(b, c.field, (getAt(b, c.field) as unknown[]).slice(0, n - 1)),
            ),
          ]
        : [];
    }
    case 'maxItems':
      return maxItemsCases(spec, c, make);
    case 'pattern':
      return [make('pattern', '', 'reject', `does not match ${String(s.pattern)}`, set(patternViolation(s)))];
    case 'format':
      return [make('format', String(s.format), 'reject', `not a valid ${String(s.format)}`, set('not a valid value'))];
    case 'type':
      // a non-object body is the transport's 400 (covered by the mock's robustness tests), not a field rule
      return c.field === '' ? [] : typeCases(c.field, s, make);
    case 'anyOf':
      return anyOfCases(spec, c, make);
    default:
      return [];
  }
}

export type Make = (
  rule: string,
  variant: string,
  outcome: Draft['outcome'],
  note: string,
  edit: (b: Record<string, unknown>) => void,
) => Draft;

export function typeCases(field: string, s: JsonSchema, make: Make): Draft[] {
  const types = [s.type].flat();
  const out: Draft[] = [];
  if (!types.includes('null')) out.push(make('type.null', '', 'reject', 'null', (b) => setAt(b, field, null)));
  const wrong = wrongTypeSample(s);
  if (wrong !== undefined)
    out.push(
      make(
        'type.wrong',
        typeof wrong === 'object' ? (Array.isArray(wrong) ? 'array' : 'object') : typeof wrong,
        'reject',
        `a ${Array.isArray(wrong) ? 'array' : typeof wrong} instead of ${types.join('|')}`,
        (b) => setAt(b, field, wrong),
      ),
    );
  if (types.includes('integer') && !types.includes('string')) {
    out.push(
      make('type.non-integer', '', 'reject', 'a fraction where an integer is documented', (b) =>
        setAt(b, field, Number(validSample(s)) + 0.5),
      ),
    );
  }
  if ((types.includes('integer') || types.includes('number')) && !types.includes('string')) {
    out.push(
      make('type.numeric-string', '', 'reject', 'a numeric string where a number is documented', (b) =>
        setAt(b, field, String(validSample(s))),
      ),
    );
  }
  if (types.includes('string') && s.pattern === '^[0-9]+$') {
    out.push(
      make('type.number-for-string', '', 'reject', 'a number where the provider documents a string', (b) =>
        setAt(b, field, Number(validSample(s))),
      ),
    );
  }
  return out;
}

export function maxItemsCases(spec: ProviderSpec, c: Constraint, make: Make): Draft[] {
  const n = Number(c.schema.maxItems);
  const sum = (spec.x.rules ?? []).find((r) => r.kind === 'sum-equals' && r.items === c.field);
  const fill = (count: number) => (b: Record<string, unknown>) => {
    const first =
      (getAt(b, c.field) as unknown[] | undefined)?.[0] ?? validSample((c.schema.items ?? {}) as JsonSchema);
    const items = Array.from({ length: count }, (_, i) => ({
      ...(first as Record<string, unknown>),
      ...(typeof first === 'object' && first && 'index' in first ? { index: i + 1 } : {}),
    }));
    if (sum && sum.kind === 'sum-equals') {
      // keep the sum rule satisfied, so the case breaks only the item count
      const one = typeof getAt(items[0], sum.itemField) === 'string' ? '1' : 1;
      for (const item of items) setAt(item, sum.itemField, one);
      // the total in its own documented type (Kling's duration is the string "6")
      setAt(b, sum.total, fieldSchema(spec, sum.total)?.type === 'string' ? String(count) : count);
    }
    setAt(b, c.field, items);
  };
  return [
    make('maxItems', '', 'accept', `${n} items`, fill(n)),
    make('maxItems+1', '', 'reject', `${n + 1} items`, fill(n + 1)),
  ];
}

export function anyOfCases(spec: ProviderSpec, c: Constraint, make: Make): Draft[] {
  const alternatives = (c.schema.anyOf as JsonSchema[]).map((a) => (a.required ?? []) as string[]);
  if (!alternatives.every((r) => r.length === 1)) return [];
  const fields = alternatives.map((r) => r[0]!);
  const sample = (f: string) => {
    const withIt = spec.create.examples.find((e) => getAt(e.value, `/${f}`) !== undefined);
    return withIt ? getAt(withIt.value, `/${f}`) : validSample(fieldSchema(spec, `/${f}`) ?? {});
  };
  return [
    make('anyOf.none', '', 'reject', `none of ${fields.join(', ')}`, (b) => {
      for (const f of fields) deleteAt(b, `/${f}`);
    }),
    make('anyOf.all', '', 'accept', `all of ${fields.join(', ')} (precedence decides)`, (b) => {
      for (const f of fields) setAt(b, `/${f}`, structuredClone(sample(f)));
    }),
  ];
}

/** Rules JSON Schema cannot state, broken on purpose: multi-shot durations that do not add up. */
export function ruleCases(spec: ProviderSpec): Draft[] {
  const out: Draft[] = [];
  for (const rule of spec.x.rules ?? []) {
    if (rule.kind !== 'sum-equals') continue;
    const base = spec.create.examples
      .map((e) => e.value as Record<string, unknown>)
      .find((e) => Array.isArray(getAt(e, rule.items)));
    if (!base) continue;
    const body = structuredClone(base);
    setAt(body, rule.total, Number(getAt(body, rule.total)) - 1);
    out.push({
      id: `${rule.id}.mismatch`,
      rule: 'sum-equals',
      field: rule.items,
      note: 'item durations add up to more than the total',
      body,
      outcome: 'reject',
      status: rule.status,
    });
  }
  return [...out, ...callbackCases(spec)];
}

/** The documented callback rules (HTTPS only, no internal addresses), in the spellings that hide an address. */
export function callbackCases(spec: ProviderSpec): Draft[] {
  const cb = spec.x.callbacks;
  if (!cb?.field) return [];
  const urls: [string, string, 'accept' | 'reject'][] = [
    ['https://example.com/kc-hook', 'a public HTTPS URL', 'accept'],
    ['https://', 'no host', 'reject'],
  ];
  if (cb.httpsOnly) urls.push(['http://example.com/kc-hook', 'plain HTTP', 'reject']);
  if (cb.forbidInternal) {
    urls.push(
      ['https://10.0.0.1/kc-hook', 'a private IPv4 address', 'reject'],
      ['https://[::ffff:127.0.0.1]/kc-hook', 'loopback as IPv4-mapped IPv6', 'reject'],
      ['https://[::ffff:a9fe:a9fe]/kc-hook', 'the metadata address 169.254.169.254, IPv4-mapped', 'reject'],
      ['https://100.64.0.1/kc-hook', 'a CGNAT address', 'reject'],
      ['https://localhost./kc-hook', 'localhost with the root dot', 'reject'],
    );
  }
  return urls.flatMap(([url, note, outcome], i) => {
    // where a callback URL is refused unless the account's webhooks are configured, and then kept to its default
    // URL's origin, no URL is accepted as such (reject.callback.* judge those refusals)
    if (outcome === 'accept' && cb.requiresConfiguredWebhook) return [];
    const body = baseFor(spec, cb.field!);
    if (!body) return [];
    setAt(body, cb.field!, url);
    return [
      {
        id: `${cb.field!.slice(1).replace(/\//g, '.')}.callback.${i}`,
        rule: outcome === 'accept' ? 'callback' : 'callback.forbidden',
        field: cb.field!,
        note,
        body,
        outcome,
      },
    ];
  });
}

/** Documented normalisation: full-width punctuation in, half-width expected in what the gateway uses. */
export function normalisationCases(spec: ProviderSpec): Draft[] {
  return (spec.x.normalise ?? []).flatMap((n) => {
    const base = baseFor(spec, n.field);
    if (!base) return [];
    setAt(base, n.field, `一只猫${Object.keys(n.map).join('在花园里')}奔跑`);
    return [
      {
        id: `${n.field.slice(1)}.normalise`,
        rule: 'normalise',
        field: n.field,
        note: `full-width ${Object.keys(n.map).join(' ')} become ${Object.values(n.map).join(' ')}`,
        body: base,
        outcome: 'accept' as const,
      },
    ];
  });
}

function normalisedPrompt(spec: ProviderSpec, body: Record<string, unknown>): string | undefined {
  const n = (spec.x.normalise ?? []).find((x) => typeof getAt(body, x.field) === 'string');
  if (!n) return undefined;
  return [...(getAt(body, n.field) as string)].map((ch) => n.map[ch] ?? ch).join('');
}

export type SetField = (value: unknown) => (b: Record<string, unknown>) => void;

/** minLength: at the limit (accepted) and one under (rejected); maxLength: at and one over, in each character kind */
export function lengthCases(c: Constraint, make: Make, set: SetField): Draft[] {
  const s = c.schema;
  if (c.keyword === 'minLength') {
    const n = Number(s.minLength);
    return [
      make('minLength', 'at', 'accept', `${n} code points`, set(stringOfCodePoints(n, 'x'))),
      ...(n > 0
        ? [make('minLength-1', '', 'reject', `${n - 1} code points`, set(stringOfCodePoints(n - 1, 'x')))]
        : []),
    ].filter((d) => n > 0 || d.rule !== 'minLength');
  }
  const n = Number(s.maxLength);
  // a field with a pattern or format keeps a valid prefix (https://…) and is padded in ASCII only
  const prefix = s.pattern || s.format ? `${String(validSample(s))}/` : '';
  const variants = prefix ? CHARACTER_VARIANTS.slice(0, 1) : CHARACTER_VARIANTS;
  const text = (count: number, unit: string) => prefix + stringOfCodePoints(count - [...prefix].length, unit);
  return variants.flatMap((v) => [
    make(
      'maxLength',
      v.name,
      'accept',
      `${n} code points, '${v.unit}'${prefix ? ` after ${prefix}` : ''}`,
      set(text(n, v.unit)),
    ),
    make(
      'maxLength+1',
      v.name,
      'reject',
      `${n + 1} code points, '${v.unit}'${prefix ? ` after ${prefix}` : ''}`,
      set(text(n + 1, v.unit)),
    ),
  ]);
}

/** every documented value (accepted), and near-misses of the string ones (rejected) */
export function enumCases(values: unknown[], make: Make, set: SetField): Draft[] {
  return [
    ...values.map((v) => make('enum', String(v), 'accept', `documented value ${JSON.stringify(v)}`, set(v))),
    ...values
      .filter((v): v is string => typeof v === 'string')
      .flatMap((v) =>
        nearMisses(v)
          .filter((m) => !values.includes(m))
          .map((m) => make('enum.near-miss', JSON.stringify(m), 'reject', `near-miss of ${JSON.stringify(v)}`, set(m))),
      ),
  ];
}

/** the constant (accepted), and the wrong values its description names or a near-miss (rejected) */
export function constCases(s: JsonSchema, make: Make, set: SetField): Draft[] {
  const documentedWrong = [...String(s.description ?? '').matchAll(/"([A-Za-z_]+)"/g)]
    .map((m) => m[1]!)
    .filter((v) => v !== s.const);
  const wrong = [
    ...new Set([...documentedWrong, ...(typeof s.const === 'string' ? nearMisses(s.const).slice(0, 1) : [])]),
  ];
  return [
    make('const', '', 'accept', `= ${JSON.stringify(s.const)}`, set(s.const)),
    ...wrong.map((w) =>
      make('const.violation', w, 'reject', `${JSON.stringify(w)} instead of ${JSON.stringify(s.const)}`, set(w)),
    ),
  ];
}
