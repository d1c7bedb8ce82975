import { createRequire } from 'node:module';
import { createAjv, collectExtensionKeys } from '../core/ajv.ts';
import { cachedValidator } from './validator-cache.ts';

// ajv's standalone code generator (CommonJS), loaded with the compiler on a cache miss
type Ajv = ReturnType<typeof createAjv>;
const standaloneCode = (ajv: Ajv, validate: ReturnType<Ajv['compile']>): string =>
  (
    createRequire(import.meta.url)('ajv/dist/standalone/index.js') as { default: (a: Ajv, v: unknown) => string }
  ).default(ajv, validate);
import { getAt } from '../core/json-pointer.ts';
import type { JsonSchema, ProviderSpec } from '../spec/model.ts';
import { describeAjvErrors, type Diagnostic } from './describe-errors.ts';
import { applyRules } from './apply-rules.ts';
import { callbackUrlProblem, callbackUrlRuleProblems, type CallbackContext } from './callback-url.ts';

/**
 * The documented callback rules (HTTPS only, no internal addresses, and the rules on the URL's parts), which JSON
 * Schema cannot state. A rule that is our reading carries `inferred`.
 */
function callbackDiagnostics(spec: ProviderSpec, body: unknown, context: CallbackContext): Diagnostic[] {
  const field = spec.x.callbacks?.field;
  const url = field ? getAt(body, field) : undefined;
  if (typeof url !== 'string') return [];
  const problem = callbackUrlProblem(spec, url);
  return [
    ...(problem ? [{ pointer: field!, keyword: 'callback', message: problem }] : []),
    ...callbackUrlRuleProblems(spec, url, context).map((p) => ({
      pointer: field!,
      keyword: 'callback',
      message: p.message,
      rule: `callback.${p.rule}`,
      ...(p.inferred ? { inferred: p.inferred } : {}),
    })),
  ];
}

export interface ValidationResult {
  valid: boolean;
  errors: Diagnostic[];
}

/** A request body, and what the account has configured that the documented rules compare with. */
export type BodyValidator = (body: unknown, context?: CallbackContext) => ValidationResult;

/** Every validator a provider needs, compiled once (ajv compiles in ~ms; validating is µs). */
export interface ProviderValidators {
  request: BodyValidator;
  /** response body of an operation for an HTTP status; undefined when that status is not documented */
  response(operation: 'create' | 'poll', status: number): BodyValidator | undefined;
  /** poll body for one documented task status */
  pollStatus(status: string): BodyValidator | undefined;
}

const cache = new WeakMap<ProviderSpec, ProviderValidators>();

export function compileValidators(spec: ProviderSpec): ProviderValidators {
  const cached = cache.get(spec);
  if (cached) return cached;
  const keywords = [...collectExtensionKeys(spec.resolved)];
  // made on the first cache miss only: a start whose validators are all cached never loads ajv's compiler
  let ajv: Ajv | undefined;
  const compile = (schema: JsonSchema) => () => {
    ajv ??= createAjv(keywords, { standalone: true });
    const validate = ajv.compile(schema);
    return { validate, source: standaloneCode(ajv, validate) };
  };
  const ruleMessages = new Map<string, { id: string; message: string }>();
  for (const rule of spec.x.rules ?? []) {
    if (
      rule.kind === 'schema' &&
      spec.create.requestSchemaPointer &&
      rule.pointer.startsWith(spec.create.requestSchemaPointer)
    ) {
      ruleMessages.set(rule.pointer.slice(spec.create.requestSchemaPointer.length), {
        id: rule.id,
        message: rule.message,
      });
    }
  }
  const make = (schema: JsonSchema | undefined, withRules: boolean): BodyValidator | undefined => {
    if (!schema) return undefined;
    const validate = cachedValidator(schema, keywords, compile(schema));
    return (body, context = {}) => {
      const ok = validate(body);
      const errors = ok ? [] : describeAjvErrors(validate.errors ?? [], ruleMessages, body);
      if (withRules) errors.push(...applyRules(spec.x.rules ?? [], body), ...callbackDiagnostics(spec, body, context));
      return { valid: errors.length === 0, errors };
    };
  };
  const responses = new Map<string, BodyValidator | undefined>();
  const statuses = new Map<string, BodyValidator | undefined>();
  const validators: ProviderValidators = {
    request: make(spec.create.requestSchema ?? {}, true)!,
    response(operation, status) {
      const key = `${operation} ${status}`;
      if (!responses.has(key)) responses.set(key, make(spec[operation].responses[String(status)], false));
      return responses.get(key);
    },
    pollStatus(status) {
      if (!statuses.has(status)) {
        const ref = spec.x.lifecycle.statuses[status]?.schema;
        statuses.set(status, make(ref ? (getAt(spec.resolved, ref.slice(1)) as JsonSchema) : undefined, false));
      }
      return statuses.get(status);
    },
  };
  cache.set(spec, validators);
  return validators;
}
