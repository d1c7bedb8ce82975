import { isDeepStrictEqual } from 'node:util';
import { mockClaim } from '../spec/claims.ts';
import type { JsonSchema, ProviderSpec } from '../spec/model.ts';
import { changedParts, docPart } from './changed-parts.ts';

export type Severity = 'ERR' | 'WARN' | 'INFO';

export interface SpecChange {
  rule: string;
  severity: Severity;
  /** JSON pointer of what changed (into the request body for fields, into the spec otherwise) */
  pointer: string;
  message: string;
  old?: unknown;
  new?: unknown;
}

interface DiffRule {
  id: string;
  severity: Severity;
  description: string;
  detect(a: ProviderSpec, b: ProviderSpec): Omit<SpecChange, 'rule' | 'severity'>[];
}

/** Request fields as body pointers → their schema, with `required` folded in (two levels, array items as /0). */
function fields(spec: ProviderSpec): Map<string, { schema: JsonSchema; required: boolean }> {
  const out = new Map<string, { schema: JsonSchema; required: boolean }>();
  const walk = (schema: JsonSchema | undefined, at: string, depth: number) => {
    const required = new Set((schema?.required ?? []) as string[]);
    for (const [name, sub] of Object.entries((schema?.properties ?? {}) as Record<string, JsonSchema>)) {
      out.set(`${at}/${name}`, { schema: sub, required: required.has(name) });
      if (depth < 3) walk(sub, `${at}/${name}`, depth + 1);
      if (sub.items && typeof sub.items === 'object' && depth < 3)
        walk(sub.items as JsonSchema, `${at}/${name}/0`, depth + 1);
    }
  };
  walk(spec.create.requestSchema, '', 0);
  return out;
}

const bothFields = (a: ProviderSpec, b: ProviderSpec) => {
  const fa = fields(a);
  const fb = fields(b);
  return [...fa].filter(([p]) => fb.has(p)).map(([p, x]) => ({ pointer: p, old: x, new: fb.get(p)! }));
};

const numeric = (s: JsonSchema, k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
const defaults = (s: ProviderSpec) =>
  Object.fromEntries(Object.entries(s.x.settings).map(([k, v]) => [k, mockClaim(v.default).value]));

/** Enum values one version has and the other lacks, for fields with an enum in both. */
function enumChanges(
  a: ProviderSpec,
  b: ProviderSpec,
  kind: 'removed' | 'added',
): Omit<SpecChange, 'rule' | 'severity'>[] {
  return bothFields(a, b).flatMap((f) => {
    const [from, to] =
      kind === 'removed' ? [f.old.schema.enum, f.new.schema.enum] : [f.new.schema.enum, f.old.schema.enum];
    if (!Array.isArray(from) || !Array.isArray(to)) return [];
    const values = (from as unknown[]).filter((v) => !(to as unknown[]).includes(v));
    if (!values.length) return [];
    const list = values.map((v) => JSON.stringify(v)).join(', ');
    return [
      {
        pointer: f.pointer,
        message: `${f.pointer} ${kind === 'removed' ? 'no longer accepts' : 'now also accepts'} ${list}`,
        old: f.old.schema.enum,
        new: f.new.schema.enum,
      },
    ];
  });
}

/** Per-second rates present in both versions whose change satisfies `moved` (up or down). */
function rateChanges(
  a: ProviderSpec,
  b: ProviderSpec,
  moved: (old: number, now: number) => boolean,
): Omit<SpecChange, 'rule' | 'severity'>[] {
  return (a.x.pricing.rates ?? []).flatMap((r) => {
    const other = (b.x.pricing.rates ?? []).find((x) => isDeepStrictEqual(x.when, r.when));
    return other && moved(r.perSecond, other.perSecond)
      ? [
          {
            pointer: '/x-conformance/pricing/rates',
            message: `${JSON.stringify(r.when)}: ${r.perSecond} → ${other.perSecond} per second`,
            old: r.perSecond,
            new: other.perSecond,
          },
        ]
      : [];
  });
}

/** The rules, as a table: id, severity, what it detects. Tested one by one with a before/after fixture pair. */
export const DIFF_RULES: DiffRule[] = [
  {
    id: 'request-field-removed',
    severity: 'ERR',
    description: 'a request field was removed or renamed',
    detect: (a, b) => {
      const fb = fields(b);
      const added = [...fb.keys()].filter((p) => !fields(a).has(p));
      return [...fields(a)]
        .filter(([p]) => !fb.has(p))
        .map(([p, x]) => {
          const sibling = added.find(
            (n) =>
              n.split('/').slice(0, -1).join('/') === p.split('/').slice(0, -1).join('/') &&
              fb.get(n)!.schema.type === x.schema.type,
          );
          return {
            pointer: p,
            message: `${p} was removed${sibling ? ` (renamed to ${sibling}?)` : ''}`,
            old: x.schema.type,
          };
        });
    },
  },
  {
    id: 'request-field-newly-required',
    severity: 'ERR',
    description: 'an optional request field became required',
    detect: (a, b) =>
      bothFields(a, b)
        .filter((f) => !f.old.required && f.new.required)
        .map((f) => ({ pointer: f.pointer, message: `${f.pointer} is now required`, old: false, new: true })),
  },
  {
    id: 'request-field-type-changed',
    severity: 'ERR',
    description: "a request field's type changed",
    detect: (a, b) =>
      bothFields(a, b)
        .filter((f) => !isDeepStrictEqual(f.old.schema.type, f.new.schema.type))
        .map((f) => ({
          pointer: f.pointer,
          message: `${f.pointer} type changed`,
          old: f.old.schema.type,
          new: f.new.schema.type,
        })),
  },
  {
    id: 'enum-value-removed',
    severity: 'ERR',
    description: 'an allowed value was removed from an enum',
    detect: (a, b) => enumChanges(a, b, 'removed'),
  },
  {
    id: 'range-narrowed',
    severity: 'ERR',
    description: 'a range or length limit got narrower (minimum/minLength up, maximum/maxLength/maxItems down)',
    detect: (a, b) =>
      bothFields(a, b).flatMap((f) =>
        (['minimum', 'minLength', 'minItems'] as const)
          .filter((k) => (numeric(f.new.schema, k) ?? -Infinity) > (numeric(f.old.schema, k) ?? -Infinity))
          .concat(
            (['maximum', 'maxLength', 'maxItems'] as const).filter(
              (k) => (numeric(f.new.schema, k) ?? Infinity) < (numeric(f.old.schema, k) ?? Infinity),
            ) as never[],
          )
          .map((k) => ({
            pointer: f.pointer,
            message: `${f.pointer} ${k} ${String(f.old.schema[k] ?? 'none')} → ${String(f.new.schema[k])}`,
            old: f.old.schema[k],
            new: f.new.schema[k],
          })),
      ),
  },
  {
    id: 'default-changed',
    severity: 'ERR',
    description: 'a documented default (the chosen claim) changed',
    detect: (a, b) => {
      const da = defaults(a);
      const db = defaults(b);
      return Object.keys(da)
        .filter((k) => k in db && !isDeepStrictEqual(da[k], db[k]))
        .map((k) => ({
          pointer: `/x-conformance/settings/${k}/default`,
          message: `default ${k} ${JSON.stringify(da[k])} → ${JSON.stringify(db[k])}`,
          old: da[k],
          new: db[k],
        }));
    },
  },
  {
    id: 'status-removed',
    severity: 'ERR',
    description: 'a task status word was removed or renamed',
    detect: (a, b) =>
      Object.keys(a.x.lifecycle.statuses)
        .filter((s) => !(s in b.x.lifecycle.statuses))
        .map((s) => ({
          pointer: `/x-conformance/lifecycle/statuses/${s}`,
          message: `status "${s}" is gone (now ${Object.keys(b.x.lifecycle.statuses).join('|')})`,
          old: s,
        })),
  },
  {
    id: 'error-code-changed',
    severity: 'ERR',
    description: 'the error code for an HTTP status changed, or a documented error status was removed',
    detect: (a, b) =>
      Object.entries(a.x.errors).flatMap(([status, decl]) => {
        const other = b.x.errors[status];
        const codeOf = (d: typeof decl) => (d.code?.length ? mockClaim(d.code).value : undefined);
        if (!other)
          return [
            {
              pointer: `/x-conformance/errors/${status}`,
              message: `error ${status} is no longer documented`,
              old: codeOf(decl),
            },
          ];
        const [o, n] = [codeOf(decl), codeOf(other)];
        return o === n
          ? []
          : [
              {
                pointer: `/x-conformance/errors/${status}/code`,
                message: `error ${status} code ${JSON.stringify(o)} → ${JSON.stringify(n)}`,
                old: o,
                new: n,
              },
            ];
      }),
  },
  {
    id: 'endpoint-moved',
    severity: 'ERR',
    description: 'the create or poll endpoint (path, method, or where the task id goes) changed',
    detect: (a, b) =>
      (['create', 'poll'] as const).flatMap((op) => {
        const where = (s: ProviderSpec) => {
          const id = s.x.operations.poll.taskId;
          return `${s[op].method} ${s[op].path}${op === 'poll' ? ` (${id.in} ${id.name})` : ''}`;
        };
        const o = where(a);
        const n = where(b);
        return o === n
          ? []
          : [{ pointer: `/x-conformance/operations/${op}`, message: `${op} endpoint ${o} → ${n}`, old: o, new: n }];
      }),
  },
  {
    id: 'price-up',
    severity: 'ERR',
    description: 'a documented per-second rate went up',
    detect: (a, b) => rateChanges(a, b, (o, n) => n > o),
  },
  {
    id: 'result-link-shorter',
    severity: 'ERR',
    description: 'result links expire sooner',
    detect: (a, b) => {
      const [o, n] = [mockClaim(a.x.resultLink.lifetimeSeconds).value, mockClaim(b.x.resultLink.lifetimeSeconds).value];
      return n < o
        ? [
            {
              pointer: '/x-conformance/resultLink/lifetimeSeconds',
              message: `result links live ${o} s → ${n} s`,
              old: o,
              new: n,
            },
          ]
        : [];
    },
  },
  {
    id: 'model-withdrawn',
    severity: 'ERR',
    description: 'the model went from available to not available',
    detect: (a, b) =>
      a.x.availability.state === 'available' && b.x.availability.state !== 'available'
        ? [
            {
              pointer: '/x-conformance/availability/state',
              message: 'the model is no longer available',
              old: 'available',
              new: b.x.availability.state,
            },
          ]
        : [],
  },
  {
    id: 'request-field-added',
    severity: 'WARN',
    description: 'a new optional request field',
    detect: (a, b) => {
      const fa = fields(a);
      return [...fields(b)]
        .filter(([p, x]) => !fa.has(p) && !x.required)
        .map(([p, x]) => ({ pointer: p, message: `new optional field ${p}`, new: x.schema.type }));
    },
  },
  {
    id: 'enum-value-added',
    severity: 'WARN',
    description: 'a new enum value a client may not handle',
    detect: (a, b) => enumChanges(a, b, 'added'),
  },
  {
    id: 'status-added',
    severity: 'WARN',
    description: 'a new task status word a client may not handle',
    detect: (a, b) =>
      Object.keys(b.x.lifecycle.statuses)
        .filter((s) => !(s in a.x.lifecycle.statuses))
        .map((s) => ({ pointer: `/x-conformance/lifecycle/statuses/${s}`, message: `new status "${s}"`, new: s })),
  },
  {
    id: 'retry-advice-changed',
    severity: 'WARN',
    description: 'the retry advice for a status changed',
    detect: (a, b) =>
      Object.entries(a.x.retry).flatMap(([status, r]) => {
        const o = b.x.retry[status];
        const strip = (x: typeof r | undefined) =>
          x ? { retry: x.retry, delaysMs: x.delaysMs, jitter: x.jitter, retryAfter: x.retryAfter } : undefined;
        return isDeepStrictEqual(strip(r), strip(o))
          ? []
          : [
              {
                pointer: `/x-conformance/retry/${status}`,
                message: `retry advice for ${status} changed`,
                old: strip(r),
                new: strip(o),
              },
            ];
      }),
  },
  {
    id: 'range-widened',
    severity: 'INFO',
    description: 'a range or length limit got wider',
    detect: (a, b) =>
      bothFields(a, b).flatMap((f) =>
        (['maximum', 'maxLength', 'maxItems'] as const)
          .filter((k) => (numeric(f.new.schema, k) ?? Infinity) > (numeric(f.old.schema, k) ?? Infinity))
          .map((k) => ({
            pointer: f.pointer,
            message: `${f.pointer} ${k} ${String(f.old.schema[k])} → ${String(f.new.schema[k] ?? 'none')}`,
            old: f.old.schema[k],
            new: f.new.schema[k],
          })),
      ),
  },
  {
    id: 'price-down',
    severity: 'INFO',
    description: 'a documented per-second rate went down',
    detect: (a, b) => rateChanges(a, b, (o, n) => n < o),
  },
  {
    id: 'docs-changed',
    severity: 'INFO',
    description: 'documentation only: descriptions, summaries or sources changed',
    // each text or source that changed, with its pointer, before and after
    detect: (a, b) => changedParts(a.raw, b.raw, docPart),
  },
];
