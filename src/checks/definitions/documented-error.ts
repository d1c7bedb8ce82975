import { isDeepStrictEqual } from 'node:util';
import { isInferred, mockClaim } from '../../spec/claims.ts';
import { errorCodeOf } from '../../spec/error-code.ts';
import type { Claim, ProviderSpec } from '../../spec/model.ts';
import type { AuthConditionName } from '../../spec/auth-model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { errorAnswerInferred } from '../inferred-expectation.ts';
import { describeClaim, sourceText } from '../sources.ts';
import type { Finding } from '../types.ts';

/**
 * A documented error status is not evidence on its own: any server answers 404 to a path it does not serve. These
 * judge the rest of the answer against the gateway's documents — the error body's schema (application/json, the only
 * content type the specs document an error body in) and the error code at its documented place.
 */

/** A finding of a verdict: its source and request ids filled in by the verdict. */
export type Note = Omit<Finding, 'requestIds' | 'source'> & { source?: string };

/** What of an answer the documented error is judged on (an ExchangeSummary is one). */
export interface ErrorAnswer {
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** The documented error body of a status, as the documents print it (the errors table's template), for a message. */
export function documentedErrorBody(spec: ProviderSpec, status: number): string {
  const decl = spec.x.errors[String(status)];
  const codes = [...(decl?.code ?? []), ...(decl?.otherCodes ?? [])].map((c) => JSON.stringify(c.value));
  const body = decl?.body === undefined ? 'the documented schema' : JSON.stringify(decl.body);
  return `application/json ${body}${codes.length ? ` with code ${codes.join(' | ')}` : ''}`;
}

/** How a body that is not JSON came: its content type and its first characters. */
function cameAs(answer: ErrorAnswer | undefined): string {
  const type = answer?.headers?.['content-type'];
  const text = answer?.text?.trim();
  return `${type ? type.split(';')[0] : 'no content type'}${text ? ` ${JSON.stringify(text.slice(0, 80))}` : ''}`;
}

/** Error body: it is JSON (every documented error body is) and has the documented error schema of its status. */
export function errorBodyFindings(
  spec: ProviderSpec,
  status: number,
  body: unknown,
  operation: 'create' | 'poll' = 'create',
  answer?: ErrorAnswer,
): Note[] {
  const inferred = errorAnswerInferred(spec, status) || undefined;
  if (body === undefined)
    return [
      {
        kind: 'shape',
        message:
          `error body is not JSON: the ${status} came as ${cameAs(answer)}, documented: ` +
          documentedErrorBody(spec, status),
        pointer: '',
        expected: documentedErrorBody(spec, status),
        observed: answer?.text?.slice(0, 200),
        inferred,
      },
    ];
  const shape = compileValidators(spec).response(operation, status);
  return (shape ? shape(body).errors : []).map((e) => ({
    kind: 'shape',
    message: `error body ${e.pointer || ''} ${e.message}`.replace(/\s+/g, ' '),
    pointer: e.pointer,
    inferred,
  }));
}

/**
 * Code: the error code is one of the documented codes of the status (or the condition's own), and is there at all
 * where the documents put one; a code that matches only another documented claim than the spec's chosen one is a
 * claim followed.
 */
export function errorCodeFindings(
  spec: ProviderSpec,
  status: number,
  body: unknown,
  own: Claim<string | number> | undefined,
): Note[] {
  const code = errorCodeOf(spec, status, body);
  const decl = spec.x.errors[String(status)];
  const claims: Claim<string | number>[] = own ? [own] : [...(decl?.code ?? []), ...(decl?.otherCodes ?? [])];
  if (!code || body === undefined || !claims.length) return [];
  const inferred = claims.every((c) => c.inferred || isInferred(spec.x, c.source));
  const matching = claims.filter((c) => isDeepStrictEqual(c.value, code.code));
  if (!matching.length)
    return [
      {
        kind: 'error-code',
        message:
          `error code ${code.code === undefined ? '(none)' : JSON.stringify(code.code)} at ${code.pointer} is none ` +
          `of the documented ${claims.map((c) => JSON.stringify(c.value)).join(', ')}`,
        pointer: code.pointer,
        expected: claims.map((c) => c.value),
        observed: code.code ?? null,
        inferred,
      },
    ];
  if (matching.includes(mockClaim(claims)) || matching.some((c) => decl?.otherCodes?.includes(c as never))) return [];
  return [
    {
      kind: 'claim-followed',
      message:
        `error code ${JSON.stringify(code.code)} follows ` +
        `${matching.map((c) => describeClaim(spec, c)).join('; ')}`,
      pointer: code.pointer,
      observed: code.code,
      // the spec's chosen claim: what drift reports the observation departs from
      expected: mockClaim(claims).value,
      source: sourceText(spec, mockClaim(claims).source),
      matches: matching.map((c) => describeClaim(spec, c)),
    },
  ];
}

/** The answer with a documented error status is the gateway's documented error: its body's schema and its code. */
export function documentedErrorFindings(
  spec: ProviderSpec,
  operation: 'create' | 'poll',
  status: number,
  answer: ErrorAnswer,
  own?: Claim<string | number>,
): Note[] {
  return [
    ...errorBodyFindings(spec, status, answer.body, operation, answer),
    ...errorCodeFindings(spec, status, answer.body, own),
  ];
}

/** The findings that fail a check (a claim followed is a note, not a failure). */
export const failing = <T extends { kind: Finding['kind'] }>(notes: T[]): T[] =>
  notes.filter((f) => f.kind !== 'claim-followed');

/** An auth condition's own documented code (Kling's 1001 for a missing header), as a claim; undefined where none. */
export function conditionCode(spec: ProviderSpec, condition: AuthConditionName): Claim<string | number> | undefined {
  const own = spec.x.auth.conditions?.[condition];
  if (own?.code === undefined) return undefined;
  return { value: own.code, source: own.source, inferred: Boolean(own.inferred || own.source.inferred) };
}
