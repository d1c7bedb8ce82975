import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { cachedValidator } from '../validate/validator-cache.ts';
import { deleteAt, getAt } from '../core/json-pointer.ts';
import type { JsonSchema, ProviderSpec } from '../spec/model.ts';
import type { BoundaryCase } from './types.ts';
import { isolateBreach } from './isolate-breach.ts';

type Draft = Omit<BoundaryCase, 'expect'> & { outcome: 'accept' | 'reject' };

/** Fields a schema requires, as body pointers: its own `required` and nested properties' `required`. */
function requiredPointers(schema: JsonSchema | undefined, at = ''): string[] {
  if (!schema) return [];
  const own = ((schema.required ?? []) as string[]).map((r) => `${at}/${r}`);
  const nested = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).flatMap(([name, sub]) =>
    requiredPointers(sub, `${at}/${name}`),
  );
  return [...own, ...nested];
}

// Compiled once per condition schema (compiling costs milliseconds, generation runs per seed and provider), and
// kept between runs as standalone code (validator-cache.ts); ajv's compiler loads only on a cache miss.
const require = createRequire(import.meta.url);
let ajv: Ajv2020 | undefined;
function compileWithSource(schema: JsonSchema) {
  ajv ??= new (require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020({
    strict: false,
    code: { source: true },
  });
  const validate = ajv.compile(schema);
  const standalone = require('ajv/dist/standalone/index.js') as { default: (a: Ajv2020, v: unknown) => string };
  return { validate, source: standalone.default(ajv, validate) };
}
const compiled = new WeakMap<JsonSchema, (data: unknown) => boolean>();
function compiledCondition(schema: JsonSchema): (data: unknown) => boolean {
  let fn = compiled.get(schema);
  if (!fn)
    compiled.set(
      schema,
      (fn = cachedValidator(schema, ['conditions:strict-false'], () => compileWithSource(schema)) as (
        data: unknown,
      ) => boolean),
    );
  return fn;
}

/**
 * Cases for the conditional rules the documents state in prose (if/then/else): with the condition on, each field
 * `then` requires is removed (reject) and each field only `else` requires is removed (accept: "prompt not required
 * in multi-shot mode"); with the condition off, each field `else` requires is removed (reject).
 */
export function conditionalCases(spec: ProviderSpec): Draft[] {
  const root = spec.create.requestSchema ?? {};
  const conditionals = [root, ...((root.allOf ?? []) as JsonSchema[])].filter((s) => s.if);
  const examples = spec.create.examples.map((e) => e.value as Record<string, unknown>);
  const out: Draft[] = [];
  conditionals.forEach((cond, i) => {
    const holds = compiledCondition(cond.if as JsonSchema);
    const on = examples.find((e) => holds(e));
    const off = examples.find((e) => !holds(e));
    const thenReq = requiredPointers(cond.then as JsonSchema);
    const elseReq = requiredPointers(cond.else as JsonSchema);
    const tag = `if${i}`;
    const drop = (base: Record<string, unknown>, field: string) => {
      const body = structuredClone(base);
      deleteAt(body, field);
      return body;
    };
    if (on) {
      for (const f of thenReq.filter((p) => getAt(on, p) !== undefined))
        out.push({
          id: `${tag}.on.without${f.replace(/\//g, '.')}`,
          rule: 'conditional.then',
          field: f,
          note: `condition holds; ${f} is required then`,
          body: isolateBreach(spec, drop(on, f), f),
          outcome: 'reject',
        });
      for (const f of elseReq.filter((p) => !thenReq.includes(p)))
        out.push({
          id: `${tag}.on.without${f.replace(/\//g, '.')}`,
          rule: 'conditional.else-not-required',
          field: f,
          note: `condition holds; ${f} is not required then`,
          body: drop(on, f),
          outcome: 'accept',
        });
    }
    if (off) {
      for (const f of elseReq.filter((p) => getAt(off, p) !== undefined))
        out.push({
          id: `${tag}.off.without${f.replace(/\//g, '.')}`,
          rule: 'conditional.else',
          field: f,
          note: `condition does not hold; ${f} is required`,
          body: isolateBreach(spec, drop(off, f), f),
          outcome: 'reject',
        });
    }
  });
  return out;
}
