import type { ErrorObject } from '../core/ajv.ts';

/** A validation finding about a body: where (JSON pointer into the body), what, in plain words. */
export interface Diagnostic {
  pointer: string;
  message: string;
  keyword: string;
  /** the spec rule id when the finding comes from x-conformance.rules (or callback.<rule> for a callback URL rule) */
  rule?: string;
  /** why the rule broken is our reading, not a document's word: `validate` warns about it unless --strict */
  inferred?: string;
}

const show = (v: unknown): string => JSON.stringify(v);

/**
 * Why a create body is refused, as the mock's 400 (and the proxy's local one) words it: one part per problem, each
 * "field.path: what is wrong" (a spec rule's own message as it is), joined with "; ".
 */
export const rejectionMessage = (problems: readonly Diagnostic[]): string =>
  problems
    .map((d) => (d.rule ? d.message : `${d.pointer.slice(1).replace(/\//g, '.') || 'body'}: ${d.message}`))
    .join('; ');

/** Turns ajv's errors into one readable diagnostic each, dropping the wrappers (if/anyOf children). */
export function describeAjvErrors(
  errors: readonly ErrorObject[],
  ruleMessages: Map<string, { id: string; message: string }>,
  body: unknown,
): Diagnostic[] {
  const anyOfPaths = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .map((e) => `${e.schemaPath}/`);
  const out: Diagnostic[] = [];
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (anyOfPaths.some((p) => e.schemaPath.startsWith(p))) continue;
    const rule = ruleMessages.get(e.schemaPath.replace(/^#/, ''));
    if (rule) {
      out.push({ pointer: e.instancePath || '/', message: rule.message, keyword: e.keyword, rule: rule.id });
      continue;
    }
    out.push(describeOne(e, body));
  }
  return dedupe(out);
}

function describeOne(e: ErrorObject, body: unknown): Diagnostic {
  const p = e.params as Record<string, unknown>;
  const at = e.instancePath || '/';
  const got = valueAt(body, e.instancePath);
  const base = { keyword: e.keyword };
  switch (e.keyword) {
    case 'required':
      return {
        ...base,
        pointer: `${e.instancePath}/${String(p.missingProperty)}`,
        message: `${String(p.missingProperty)} is required`,
      };
    case 'additionalProperties':
      return {
        ...base,
        pointer: `${e.instancePath}/${String(p.additionalProperty)}`,
        message: `"${String(p.additionalProperty)}" is not an allowed field here (unknown field)`,
      };
    case 'enum':
      return {
        ...base,
        pointer: at,
        message: `must be one of ${(p.allowedValues as unknown[]).map(show).join(', ')} (got ${show(got)})`,
      };
    case 'const':
      return { ...base, pointer: at, message: `must be ${show(p.allowedValue)} (got ${show(got)})` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { ...base, pointer: at, message: `must be ${String(p.comparison)} ${String(p.limit)} (got ${show(got)})` };
    case 'minLength':
      return {
        ...base,
        pointer: at,
        message: `must be at least ${String(p.limit)} characters (got ${[...String(got ?? '')].length})`,
      };
    case 'maxLength':
      return {
        ...base,
        pointer: at,
        message: `must be at most ${String(p.limit)} characters (got ${[...String(got ?? '')].length})`,
      };
    case 'minItems':
      return { ...base, pointer: at, message: `must have at least ${String(p.limit)} items` };
    case 'maxItems':
      return {
        ...base,
        pointer: at,
        message: `must have at most ${String(p.limit)} items (got ${Array.isArray(got) ? got.length : '?'})`,
      };
    case 'type':
      return {
        ...base,
        pointer: at,
        message:
          `must be of type ${String(p.type)} (got ` +
          `${got === null ? 'null' : Array.isArray(got) ? 'array' : typeof got})`,
      };
    case 'pattern':
      return { ...base, pointer: at, message: `must match ${String(p.pattern)} (got ${show(got)})` };
    case 'format':
      return { ...base, pointer: at, message: `must be a valid ${String(p.format)} (got ${show(got)})` };
    case 'anyOf':
    case 'oneOf':
      return {
        ...base,
        pointer: at,
        message: `must satisfy ${e.keyword === 'anyOf' ? 'at least one' : 'exactly one'} documented alternative`,
      };
    default:
      return { ...base, pointer: at, message: e.message ?? e.keyword };
  }
}

function valueAt(body: unknown, instancePath: string): unknown {
  let node = body;
  for (const part of instancePath.split('/').slice(1))
    node =
      node && typeof node === 'object'
        ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
        : undefined;
  return node;
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => (seen.has(d.pointer + d.message) ? false : (seen.add(d.pointer + d.message), true)));
}
