import { envelopeFailure } from '../../spec/envelope.ts';
import { isInferred } from '../../spec/claims.ts';
import { pointersOverlap } from '../../core/json-pointer.ts';
import { errorBodyFindings, errorCodeFindings, type Note } from './documented-error.ts';
import { errorAnswerInferred } from '../inferred-expectation.ts';
import type { Claim, ProviderSpec } from '../../spec/model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { cancelNote, requestIdsOf, unansweredVerdict } from '../probes/exchange-summary.ts';
import type { RequestObservation } from '../probes/request-probes.ts';
import { sourceText } from '../sources.ts';
import type { Finding, Verdict } from '../types.ts';

/** the root ('') concerns every field: a whole-body rule may be what rejected it */
const related = (a: string, b: string) => a === '' || b === '' || pointersOverlap(a, b);

/** What a documented rejection looks like: its status, on whose word, and the error code where one is its own. */
export interface ExpectedRejection {
  status: number;
  source: string | undefined;
  /** the constraint broken is only our reading (an inferred x-source): its breach warns, not fails */
  inferred?: boolean;
  /** a condition's own documented code (an auth condition's) instead of the status's general ones */
  code?: Claim<string | number>;
}

export { errorBodyFindings, errorCodeFindings } from './documented-error.ts';

/**
 * Pure: a documented rejection holds when the status is the documented one, the body has the documented error
 * shape and one of the documented error codes, the request was rejected for what is wrong with it (the mock's own
 * diagnostics; on any target, an error message that is the documented message of a rule the body does not break
 * is the wrong reason), and no task was created (where a mock lets us see it).
 */
export function evaluateRejection(spec: ProviderSpec, obs: RequestObservation, expected: ExpectedRejection): Verdict {
  const { status, body } = obs.response;
  const requestIds = requestIdsOf(obs.response);
  const base = {
    expected: { status: expected.status, tasksCreated: 0 },
    observed: { status, body: body ?? obs.response.text, tasksCreated: obs.tasksCreated, rejectedFor: obs.rejectedFor },
    source: expected.source,
    requestIds,
  };
  // no status, or a status whose body could not be read whole (cut off, stalled): nothing to judge
  const unanswered = unansweredVerdict(obs.response);
  if (unanswered || status === undefined) return { ...base, ...unanswered! };
  const notes = [
    ...statusFindings(spec, status, body, expected, cancelNote(obs.response)),
    ...(statusIsExpected(spec, status, body, expected.status)
      ? [
          ...errorBodyFindings(spec, status, body, 'create', obs.response),
          ...errorCodeFindings(spec, status, body, expected.code),
          ...blamedFieldFindings(spec, obs),
        ]
      : []),
    ...taskCreatedFindings(obs),
  ];
  const findings: Finding[] = notes.map((f) => ({ source: expected.source, requestIds, ...f }));
  const failing = findings.filter((f) => f.kind !== 'claim-followed');
  return {
    ...base,
    status: failing.length ? 'fail' : 'pass',
    message: failing.length
      ? failing.map((f) => f.message).join('; ')
      : `rejected with ${status} and the documented error body`,
    findings,
    warnings:
      obs.tasksCreated === undefined
        ? ['whether a task was created cannot be seen on this target (no list endpoint is documented)']
        : undefined,
  };
}

/** the documented status, not a documented envelope failure: its body is judged further */
const statusIsExpected = (spec: ProviderSpec, status: number, body: unknown, expectedStatus: number) =>
  !envelopeFailure(spec, status, body) && !(status >= 200 && status < 300) && status === expectedStatus;

/**
 * Status: a documented envelope failure is a rejection in the provider's own words; a 2xx accepted what the
 * documents forbid (a billable task); any other status than the documented one is a status finding.
 */
export function statusFindings(
  spec: ProviderSpec,
  status: number,
  body: unknown,
  expected: ExpectedRejection,
  /** what the harness did about a task made by mistake (" — cancelled at once"), said after an acceptance */
  cancelled = '',
): Note[] {
  const inferred = expected.inferred || undefined;
  const env = envelopeFailure(spec, status, body);
  if (env)
    return [
      {
        kind: 'claim-followed',
        message:
          `rejected with HTTP ${status} and ${env.pointer} = ${JSON.stringify(env.code)} ` +
          `(the documented envelope failure)`,
        pointer: env.pointer,
        observed: env.code,
        matches: [sourceText(spec, spec.x.envelope!.source)!],
      },
    ];
  if (status >= 200 && status < 300)
    return [
      {
        kind: 'accepted-invalid',
        message:
          `accepted a request the ${inferred ? 'spec (our reading)' : 'documents'} ` +
          `forbid${inferred ? 's' : ''} (answered ${status})${cancelled}`,
        expected: expected.status,
        observed: status,
        billableTasks: 1,
        inferred,
      },
    ];
  if (status !== expected.status)
    return [
      {
        kind: 'status',
        message: `answered ${status} instead of ${expected.status}`,
        expected: expected.status,
        observed: status,
        // refused, with another status than the one the documents (or only our reading) give
        inferred: inferred || errorAnswerInferred(spec, expected.status) || undefined,
      },
    ];
  return [];
}

/**
 * Blamed field: the request was rejected for what is wrong with it by our reading of the documented schema and
 * rules — the mock's diagnostics name an unrelated field, or the answer is the documented message of a rule the
 * body does not break.
 */
export function blamedFieldFindings(spec: ProviderSpec, obs: RequestObservation): Note[] {
  const notes: Note[] = [];
  const wrong = compileValidators(spec).request(obs.sent).errors;
  const wrongText = wrong.map((w) => w.pointer || '/').join(', ');
  if (obs.rejectedFor?.length && wrong.length && !obs.rejectedFor.some((p) => wrong.some((w) => related(p, w.pointer))))
    notes.push({
      kind: 'error-field',
      message: `rejected for ${obs.rejectedFor.join(', ')}, but what is wrong is ${wrongText}`,
      pointer: wrong[0]!.pointer,
      expected: wrong.map((w) => w.pointer),
      observed: obs.rejectedFor,
    });
  const text = JSON.stringify(obs.response.body ?? obs.response.text ?? '');
  for (const rule of spec.x.rules ?? [])
    if (rule.message && text.includes(rule.message) && !wrong.some((w) => w.rule === rule.id))
      notes.push({
        kind: 'error-field',
        message:
          `answered "${rule.message}" (the documented message of rule ${rule.id}), a rule ` +
          `this request does not break; what is wrong is ${wrongText}`,
        expected: wrong.map((w) => w.pointer),
        observed: rule.message,
        inferred: isInferred(spec.x, rule.source),
      });
  return notes;
}

/** Task created: a rejected request made no task (where the target lets us count them). */
export function taskCreatedFindings(obs: Pick<RequestObservation, 'tasksCreated'>): Note[] {
  if (obs.tasksCreated === undefined || obs.tasksCreated <= 0) return [];
  return [
    {
      kind: 'task-created',
      message: `created ${obs.tasksCreated} task(s) for a rejected request`,
      expected: 0,
      observed: obs.tasksCreated,
    },
  ];
}
