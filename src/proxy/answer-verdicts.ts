import { documentedErrorFindings } from '../checks/definitions/documented-error.ts';
import { fieldSource, sourceText } from '../checks/sources.ts';
import type { Finding } from '../checks/types.ts';
import { getAt } from '../core/json-pointer.ts';
import { redact } from '../core/redact.ts';
import { alternativeSpecs } from '../spec/alternative-specs.ts';
import { errorCodeOf, placeholderPointer } from '../spec/error-code.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { invalidRequestStatus, promptFields } from '../spec/operations.ts';
import { compileValidators } from '../validate/compile-validators.ts';

// What the proxy concludes from one answer that is not a documented success: its status against the statuses the
// documents give, an error body against the documented error table (the run's documented-error mechanism), and a
// create body the documents accept that the gateway refused. Pure: the caller tallies and names the exchange.

/** A finding before its exchange is named (the tally adds its HAR entry and request ids). */
export type Note = Omit<Finding, 'requestIds'>;

/** One answer as the verdicts read it: status, body (JSON where it parses), its first characters, its headers. */
export interface ErrorAnswerSeen {
  status: number;
  body?: unknown;
  text: string;
  headers?: Record<string, string>;
}

/** 404 and 405 say a route is not served: documented only where the operation itself lists them. */
const ROUTE_STATUSES = new Set([404, 405]);

/**
 * The statuses the documents give for an operation: its own responses, and the errors table's (a 429 or a 500 may
 * answer any request), but for 404 and 405, which only the operation's own responses make documented.
 */
export function documentedStatuses(spec: ProviderSpec, operation: 'create' | 'poll'): number[] {
  let known = documented.get(spec);
  if (!known) documented.set(spec, (known = {}));
  return (known[operation] ??= statusesOf(spec, operation));
}

/** Each spec's documented statuses per operation, worked out once (every answer through the proxy reads them). */
const documented = new WeakMap<ProviderSpec, Partial<Record<'create' | 'poll', number[]>>>();

function statusesOf(spec: ProviderSpec, operation: 'create' | 'poll'): number[] {
  const own = Object.keys((operation === 'create' ? spec.create : spec.poll).responses).map(Number);
  const table = Object.keys(spec.x.errors)
    .map(Number)
    .filter((s) => !ROUTE_STATUSES.has(s));
  return [...new Set([...own, ...table])].filter(Number.isFinite).sort((a, b) => a - b);
}

/** An answer's status the documents do not give for its operation, as a finding (undefined when they give it). */
export function undocumentedStatus(
  spec: ProviderSpec,
  operation: 'create' | 'poll',
  status: number,
  request: { method: string; target: string },
): Note | undefined {
  const statuses = documentedStatuses(spec, operation);
  if (statuses.includes(status)) return undefined;
  const path = request.target.split('?')[0];
  const route = ROUTE_STATUSES.has(status);
  return {
    kind: 'status',
    message: route
      ? `the upstream answered ${status} to ${request.method} ${path}, the documented ${operation} route: the ` +
        `gateway does not serve its documented route (drift), or the upstream is not ${spec.id} (check --upstream)`
      : `the upstream answered ${status}, which the documents do not give for a ${operation} ` +
        `(documented: ${statuses.join(', ')})`,
    expected: statuses,
    observed: status,
  };
}

/** An error answer of a documented status against the documented error table: its body's schema and its code. */
export function errorAnswerNotes(spec: ProviderSpec, operation: 'create' | 'poll', answer: ErrorAnswerSeen): Note[] {
  const { status } = answer;
  // the error envelope is one table: a status the poll does not list (a 429) has the create's documented body
  const shapeOf = compileValidators(spec).response(operation, status) ? operation : 'create';
  const decl = spec.x.errors[String(status)];
  const source = sourceText(spec, decl?.source ?? decl?.code?.[0]?.source);
  // a code one documented condition gives this status (a malformed task id's, a missing key's) is documented too
  const own = conditionCodes(spec, operation, status);
  return documentedErrorFindings(spec, shapeOf, status, answer)
    .filter((n) => !(n.kind === 'error-code' && own.some((c) => c === n.observed)))
    .map((n) => ({ ...n, ...(n.source || source ? { source: n.source ?? source } : {}) }));
}

/**
 * The codes documented conditions give an answer of this status besides the errors table's: a malformed task id's
 * (a poll), each authentication failure's (its own claim and the others).
 */
export function conditionCodes(spec: ProviderSpec, operation: 'create' | 'poll', status: number): unknown[] {
  const malformed = spec.x.lifecycle.malformedId;
  const auth = Object.values(spec.x.auth.conditions ?? {}).flatMap((c) => [c, ...(c.otherClaims ?? [])]);
  return [
    ...(operation === 'poll' && malformed?.status === status ? [malformed.code] : []),
    ...auth.flatMap((c) => (c.status === status && c.code !== undefined ? [c.code] : [])),
  ];
}

/** The statuses a gateway refuses an invalid body with: 400, the documented invalid-request status, rules' own. */
function refusalStatuses(spec: ProviderSpec): number[] {
  const rules = (spec.x.rules ?? []).flatMap((r) => (r.status ? [r.status] : []));
  return [400, invalidRequestStatus(spec), ...rules];
}

/**
 * A create body the documents accept (the proxy validated it), refused by the gateway with an invalid-request status:
 * the gateway rejects what its documents accept — or, where another documented claim rejects the body too, it
 * follows that claim (the documents contradict each other; drift all the same). Undefined for any other answer, and
 * for a refusal whose code the documents give for another reason (webhook_not_configured: the account's setup; an
 * authentication failure's own code).
 */
export function refusedValid(spec: ProviderSpec, json: unknown, answer: ErrorAnswerSeen): Note | undefined {
  if (!refusalStatuses(spec).includes(answer.status)) return undefined;
  const code = errorCodeOf(spec, answer.status, answer.body)?.code;
  const others = [
    ...(spec.x.errors[String(answer.status)]?.otherCodes ?? []).map((c) => c.value),
    ...conditionCodes(spec, 'create', answer.status),
  ];
  if (code !== undefined && others.includes(code)) return undefined;
  const facts = keyFacts(spec, json);
  const said = gatewaySaid(spec, answer);
  const follows = alternativeSpecs(spec)
    .filter((alt) => !compileValidators(alt.spec).request(json).valid)
    .map((alt) => alt.describe);
  const source = fieldSource(spec, '');
  if (follows.length)
    return {
      kind: 'claim-followed',
      message:
        `a create body the chosen documented claims accept (${JSON.stringify(facts)}) was refused ` +
        `${answer.status}, as ${follows.join('; ')} says: the documents contradict each other; the gateway said ` +
        JSON.stringify(said),
      expected: 'accepted',
      observed: { status: answer.status, body: facts, answer: said },
      matches: follows,
      ...(source ? { source } : {}),
    };
  return {
    kind: 'status',
    message:
      `a create body the documents accept (${JSON.stringify(facts)}) was refused ${answer.status}: the gateway ` +
      `rejects what its documents accept; it said ${JSON.stringify(said)}`,
    expected: 'accepted',
    observed: answer.status,
    ...(source ? { source } : {}),
  };
}

/**
 * What the gateway said in refusing: the message at the place the documented error body puts it (its
 * {{error.message}}), else the first characters of its body; secrets redacted.
 */
function gatewaySaid(spec: ProviderSpec, answer: ErrorAnswerSeen): string {
  const template = spec.x.errors[String(answer.status)]?.body;
  const pointer = template === undefined ? undefined : placeholderPointer(template, '{{error.message}}');
  const message = pointer === undefined ? undefined : getAt(answer.body, pointer);
  return redact(typeof message === 'string' && message ? message.slice(0, 200) : answer.text.slice(0, 200));
}

/** Longest string value a finding quotes from a request body. */
const QUOTED = 60;

/**
 * The facts of a create body a reader needs to see why it is valid: each setting, each field the documents disagree
 * on and every other top-level value — not the prompt (long, the client's words) nor a callback URL; long strings cut,
 * secrets redacted.
 */
export function keyFacts(spec: ProviderSpec, json: unknown): Record<string, unknown> {
  const left = new Set([...promptFields(spec), ...(spec.x.callbacks?.field ? [spec.x.callbacks.field] : [])]);
  const top = json && typeof json === 'object' ? Object.keys(json).map((k) => `/${k}`) : [];
  const fields = [
    ...Object.values(spec.x.settings).map((s) => s.field),
    ...alternativeSpecs(spec).flatMap((a) => (a.field ? [a.field] : [])),
    ...top,
  ];
  const facts: Record<string, unknown> = {};
  for (const field of new Set(fields)) {
    const value = getAt(json, field);
    if (left.has(field) || value === undefined || (typeof value === 'object' && value !== null)) continue;
    facts[field.slice(1)] =
      typeof value === 'string' ? redact(value.length > QUOTED ? `${value.slice(0, QUOTED)}…` : value) : value;
  }
  return facts;
}
