import { expectedAuthAnswer } from '../../spec/auth.ts';
import { invalidRequestStatus, isSuccess, successStatuses } from '../../spec/operations.ts';
import { getAt, setAt } from '../../core/json-pointer.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { requestIdsOf, unansweredVerdict, type ExchangeSummary } from '../probes/exchange-summary.ts';
import { exampleBody } from '../probes/request-bodies.ts';
import { observeCreate, observeFailedTask, observeFault, observeUnknownTask } from '../probes/request-probes.ts';
import { observeDefaultTask } from '../probes/task-probe.ts';
import { sourceText } from '../sources.ts';
import { isInferred } from '../../spec/claims.ts';
import { errorAnswerInferred, markInferred } from '../inferred-expectation.ts';
import type { CheckContext, CheckCost, CheckDefinition, Finding, Verdict } from '../types.ts';

const dedupeFindings = (fs: Finding[]) => [...new Map(fs.map((f) => [`${f.pointer} ${f.message}`, f])).values()];
import { notAvailable } from './defaults.ts';
import { conditionCode, errorCodeFindings, failing } from './documented-error.ts';

/** Pure: each body validates against its documented schema; the request id is present where documented. */
export function evaluateShapes(
  spec: ProviderSpec,
  what: string,
  bodies: ExchangeSummary[],
  validate: ((body: unknown) => { errors: { pointer: string; message: string }[] }) | undefined,
  source?: string,
): Verdict {
  if (!validate) return { status: 'skip', message: `no schema documented for ${what}` };
  // a documented body we could not observe is not a pass, and not a silent skip either
  if (bodies.length === 0)
    return {
      status: 'error',
      message: `no ${what} body was observed in this run`,
      findings: [{ kind: 'evidence', message: `no ${what} body observed` }],
    };
  const problems: string[] = [];
  const findings: Finding[] = [];
  const requestIds = requestIdsOf(...bodies);
  const unreadable = bodies.filter((b) => b.error);
  if (unreadable.length)
    return {
      status: 'error',
      message: `${what}: no complete answer (${unreadable[0]!.error})`,
      findings: [{ kind: 'evidence', message: unreadable[0]!.error! }],
      source,
    };
  for (const b of bodies) {
    if (b.body === undefined) {
      problems.push(`${b.method} ${b.url} answered ${b.status ?? b.error} with a body that is not JSON`);
      findings.push({
        kind: 'shape',
        message: `${b.status ?? b.error}: the body is not JSON`,
        observed: b.text?.slice(0, 200),
        source,
        requestIds,
      });
    } else {
      for (const e of validate(b.body).errors) {
        problems.push(`${e.pointer} ${e.message}`);
        findings.push({ kind: 'shape', message: e.message, pointer: e.pointer, source, requestIds });
      }
    }
  }
  const ridPointer = spec.x.operations.create.requestIdPointer;
  if (ridPointer && what === 'create' && bodies.some((b) => typeof getAt(b.body, ridPointer) !== 'string')) {
    problems.push(`no request id at ${ridPointer}`);
    findings.push({ kind: 'shape', message: 'no request id', pointer: ridPointer, source, requestIds });
  }
  return {
    findings: dedupeFindings(findings),
    status: problems.length ? 'fail' : 'pass',
    message: problems.length
      ? `${what}: ${[...new Set(problems)].join('; ')}`
      : `${bodies.length} ${what} bod${bodies.length === 1 ? 'y' : 'ies'} match the documented schema`,
    expected: 'the documented schema',
    observed: bodies.length === 1 ? bodies[0]!.body : bodies.map((b) => b.body),
    source,
    requestIds: requestIdsOf(...bodies),
  };
}

const schemaSource = (spec: ProviderSpec, pointer: string) =>
  sourceText(spec, getAt(spec.resolved, `${pointer}/x-source`) as never);

function pollShapeCheck(status: string): CheckDefinition<ExchangeSummary[] | { unobservable: string }> {
  return {
    id: `shape.poll.${status}`,
    family: 'shape',
    title: `poll bodies with status "${status}" match the documented schema`,
    cost: 'paid',
    target: 'any',
    notApplicable: notAvailable,
    probe: async (ctx: CheckContext) => {
      const task = await observeDefaultTask(ctx);
      const failed = status === ctx.spec.x.lifecycle.failed && ctx.mock ? await observeFailedTask(ctx) : [];
      const polls = [...task.polls, ...failed].filter(
        (p) => getAt(p.body, ctx.spec.x.lifecycle.statusPointer) === status,
      );
      // a live task need not pass through every status between two polls (and a failure is scripted on mocks
      // only): not seeing one live is no evidence either way; on a mock, where we script it, it is an error
      if (!polls.length && !ctx.mock)
        return { unobservable: `the task never showed status "${status}" on this target in this run` };
      return polls;
    },
    // a poll body with a number where the documented schema types a string
    breakers: () => [{ gateway: 'retypes-field', operation: 'poll' }],
    evaluate: (spec, polls) =>
      'unobservable' in polls
        ? { status: 'skip', message: polls.unobservable }
        : evaluateShapes(
            spec,
            `poll (${status})`,
            polls,
            compileValidators(spec).pollStatus(status),
            schemaSource(spec, spec.x.lifecycle.statuses[status]!.schema.slice(1)),
          ),
  };
}

/** A status some request provokes through the public API: an invalid body, no credential, an unknown task. */
const provokable = (spec: ProviderSpec, status: number) =>
  status === invalidRequestStatus(spec) || status === expectedAuthAnswer(spec, 'missing').status || status === 404;

/** How to provoke each documented error status through the public API (or a mock scenario). */
function errorProbe(status: number): (ctx: CheckContext) => Promise<ExchangeSummary[]> {
  return async (ctx) => {
    if (status === invalidRequestStatus(ctx.spec)) {
      const body = { ...exampleBody(ctx.spec), kc_probe: true };
      setAt(body, ctx.spec.x.prompt.field, 123);
      return [(await observeCreate(ctx, `shape.error.${status}`, body)).response];
    }
    if (status === expectedAuthAnswer(ctx.spec, 'missing').status)
      return [(await observeCreate(ctx, 'auth.missing_key', exampleBody(ctx.spec), { auth: 'missing' })).response];
    if (status === 404) return [await observeUnknownTask(ctx)];
    // the rest (429, 500, and documented ones no request can provoke: 402, 422…) through a mock fault scenario
    return [await observeFault(ctx, status)];
  };
}

function errorShapeCheck(spec: ProviderSpec, status: number): CheckDefinition<ExchangeSummary[]> {
  const probe = errorProbe(status);
  return {
    id: `shape.error.${status}`,
    family: 'shape',
    title: `${status} error bodies match the documented envelope`,
    cost: 'free',
    // errors no request can provoke are scripted: on a mock only
    target: provokable(spec, status) ? 'any' : 'mock',
    // provoked with an invalid body: free when rejected as documented, billed if wrongly accepted
    spendClass: (spec) => (status === invalidRequestStatus(spec) ? 'risky' : undefined),
    notApplicable: (spec) =>
      spec.x.errors[String(status)]?.documentedOnly
        ? `the documents name ${status} but not its body`
        : status === invalidRequestStatus(spec) && notAvailable(spec)
          ? notAvailable(spec)
          : undefined,
    probe,
    breakers: () => [{ gateway: 'undocumented-error-bodies' }],
    evaluate: (spec, bodies) => {
      const operation = status === 404 ? 'poll' : 'create';
      // a request that got no complete answer (deadline, reset, a body cut off) shows no status: nothing to judge
      const unanswered = unansweredVerdict(...bodies);
      if (unanswered) return { ...unanswered, expected: status, requestIds: requestIdsOf(...bodies) };
      const matching = bodies.filter((b) => b.status === status);
      if (matching.length < bodies.length) {
        const message = `expected a ${status}, got ${bodies.map((b) => b.status ?? b.error).join(', ')}`;
        return {
          status: 'fail',
          message,
          expected: status,
          observed: bodies.map((b) => b.status),
          requestIds: requestIdsOf(...bodies),
          findings: [
            {
              kind: 'status',
              message,
              expected: status,
              observed: bodies.map((b) => b.status),
              inferred: errorStatusInferred(spec, status) || undefined,
            },
          ],
        };
      }
      const verdict = evaluateShapes(
        spec,
        `error ${status}`,
        matching,
        compileValidators(spec).response(operation, status),
        sourceText(spec, spec.x.errors[String(status)]?.code?.[0]?.source),
      );
      const marked = markInferred(verdict.findings, ['shape'], errorAnswerInferred(spec, status));
      return withErrorCodes(spec, status, matching, { ...verdict, findings: marked });
    },
  };
}

/**
 * The documented error code of each body too: a body of the documented schema with another code (a router's generic
 * not-found) is not the gateway's documented error. The 401 provoked without a key is judged on that condition's own
 * code where the documents give one.
 */
function withErrorCodes(spec: ProviderSpec, status: number, bodies: ExchangeSummary[], verdict: Verdict): Verdict {
  if (verdict.status !== 'pass' && verdict.status !== 'fail') return verdict;
  const missing = status === expectedAuthAnswer(spec, 'missing').status && status !== invalidRequestStatus(spec);
  const own = missing ? conditionCode(spec, 'missing') : undefined;
  const source = sourceText(spec, own?.source ?? spec.x.errors[String(status)]?.code?.[0]?.source);
  const notes = bodies.flatMap((b) =>
    errorCodeFindings(spec, status, b.body, own).map((f) => ({ source, requestIds: requestIdsOf(b), ...f })),
  );
  if (!notes.length) return verdict;
  const codes = failing(notes);
  return {
    ...verdict,
    status: codes.length ? 'fail' : verdict.status,
    message: codes.length ? `${verdict.message}; ${codes.map((f) => f.message).join('; ')}` : verdict.message,
    findings: dedupeFindings([...(verdict.findings ?? []), ...notes]),
  };
}

/** Is the status this error probe expects our reading? (an unknown task's 404, the auth status, the 400) */
function errorStatusInferred(spec: ProviderSpec, status: number): boolean {
  if (status === expectedAuthAnswer(spec, 'missing').status) return expectedAuthAnswer(spec, 'missing').inferred;
  if (status === invalidRequestStatus(spec) && spec.x.invalidRequest)
    return isInferred(spec.x, spec.x.invalidRequest.source);
  return errorAnswerInferred(spec, status);
}

export function shapeChecks(spec: ProviderSpec): CheckDefinition<ExchangeSummary[] | { unobservable: string }>[] {
  const create: CheckDefinition<ExchangeSummary[]> = {
    id: 'shape.create',
    family: 'shape',
    title: 'the create response matches the documented schema (and carries a request id where documented)',
    cost: 'paid',
    target: 'any',
    notApplicable: notAvailable,
    probe: async (ctx) => [(await observeDefaultTask(ctx)).create],
    // a create answer whose task id is a number
    breakers: (s) => [{ gateway: 'retypes-field', operation: 'create', pointer: s.x.lifecycle.idPointer }],
    evaluate: (s, bodies) => {
      const ok = successStatuses(s, 'create')[0]!;
      return evaluateShapes(
        s,
        'create',
        bodies.filter((b) => isSuccess(s, 'create', b.status)),
        compileValidators(s).response('create', ok),
        sourceText(s, s.create.responses[String(ok)]?.['x-source'] as never),
      );
    },
  };
  return [
    create as CheckDefinition<ExchangeSummary[] | { unobservable: string }>,
    ...Object.keys(spec.x.lifecycle.statuses).map(pollShapeCheck),
    ...(Object.keys(spec.x.errors).map((s) => errorShapeCheck(spec, Number(s))) as CheckDefinition<
      ExchangeSummary[] | { unobservable: string }
    >[]),
  ];
}

export const shapeCheckTemplates: { id: string; title: string; cost: CheckCost; target: 'any' | 'mock' }[] = [
  {
    id: 'shape.create',
    title: 'the create response matches the documented schema (request id where documented)',
    cost: 'paid',
    target: 'any',
  },
  {
    id: 'shape.poll.<status>',
    title: 'poll bodies of each documented status match that status schema',
    cost: 'paid',
    target: 'any',
  },
  {
    id: 'shape.error.<status>',
    title: 'error bodies of each documented status match the documented envelope (429/500 via mock scenarios)',
    cost: 'free',
    target: 'any',
  },
];
