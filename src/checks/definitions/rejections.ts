import { invalidRequestStatus, promptFields } from '../../spec/operations.ts';
import { isDeepStrictEqual } from 'node:util';
import { envelopeFailure } from '../../spec/envelope.ts';
import { isInferred } from '../../spec/claims.ts';
import { inferredConstraint } from '../sources.ts';
import { deleteAt, pointersOverlap, setAt } from '../../core/json-pointer.ts';
import { mockClaim } from '../../spec/claims.ts';
import { errorCodeOf } from '../../spec/error-code.ts';
import { errorAnswerInferred } from '../inferred-expectation.ts';
import type { Claim, ProviderSpec } from '../../spec/model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { cancelNote, requestIdsOf, unansweredVerdict } from '../probes/exchange-summary.ts';
import { notPaidReason, paidAllowed } from '../spend-class.ts';
import { closedObjects, enumFields, exampleBody, fieldSchema, hasPromptField } from '../probes/request-bodies.ts';
import { observeCreate, type RequestObservation } from '../probes/request-probes.ts';
import { describeClaim, fieldSource, sourceText } from '../sources.ts';
import type { CheckDefinition, Finding, Verdict } from '../types.ts';
import { notAvailable } from './defaults.ts';

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

/** A finding of this verdict: its source and request ids filled in. */
type Note = Omit<Finding, 'requestIds' | 'source'> & { source?: string };

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
          ...errorBodyFindings(spec, status, body),
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

/** Error body: it has the documented error schema of its status (and is JSON at all). */
export function errorBodyFindings(spec: ProviderSpec, status: number, body: unknown): Note[] {
  const shape = compileValidators(spec).response('create', status);
  const errors = body === undefined ? [{ pointer: '', message: 'is not JSON' }] : shape ? shape(body).errors : [];
  return errors.map((e) => ({
    kind: 'shape',
    message: `error body ${e.pointer || ''} ${e.message}`.replace(/\s+/g, ' '),
    pointer: e.pointer,
    inferred: errorAnswerInferred(spec, status) || undefined,
  }));
}

/**
 * Code: the error code is one of the documented codes of the status (or the condition's own); a code that matches
 * only another documented claim than the spec's chosen one is a claim followed.
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
  if (!code || code.code === undefined || !claims.length) return [];
  const matching = claims.filter((c) => isDeepStrictEqual(c.value, code.code));
  if (!matching.length)
    return [
      {
        kind: 'error-code',
        message:
          `error code ${JSON.stringify(code.code)} at ${code.pointer} is none of the ` +
          `documented ${claims.map((c) => JSON.stringify(c.value)).join(', ')}`,
        pointer: code.pointer,
        expected: claims.map((c) => c.value),
        observed: code.code,
        inferred: claims.every((c) => c.inferred || isInferred(spec.x, c.source)),
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
      matches: matching.map((c) => describeClaim(spec, c)),
    },
  ];
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

interface RejectionCase {
  id: string;
  title: string;
  field: string;
  applies(spec: ProviderSpec): string | undefined;
  body(spec: ProviderSpec): unknown;
}

const settingField = (spec: ProviderSpec, name: string) => spec.x.settings[name]!.field;
const durationBound = (spec: ProviderSpec, key: 'minimum' | 'maximum') =>
  fieldSchema(spec, settingField(spec, 'duration'))?.[key] as number | undefined;
const mutate = (spec: ProviderSpec, edit: (b: Record<string, unknown>) => void) => {
  const body = exampleBody(spec);
  edit(body);
  return body;
};

const staticCases: RejectionCase[] = [
  {
    id: 'reject.prompt_missing',
    title: 'a request without a prompt is rejected',
    field: 'prompt',
    applies: (spec) => (hasPromptField(spec) ? undefined : 'the request has no prompt field'),
    // the prompt and every field the spec says may carry it instead (the JSON-Schema gateway's contents)
    body: (spec) =>
      mutate(spec, (b) => {
        for (const p of promptFields(spec)) deleteAt(b, p);
      }),
  },
  {
    id: 'reject.prompt_too_long',
    title: 'a prompt one character over the documented maximum is rejected',
    field: 'prompt',
    applies: (spec) =>
      typeof fieldSchema(spec, spec.x.prompt.field)?.maxLength === 'number'
        ? undefined
        : 'no documented prompt length limit',
    body: (spec) =>
      mutate(spec, (b) =>
        setAt(b, spec.x.prompt.field, 'x'.repeat((fieldSchema(spec, spec.x.prompt.field)!.maxLength as number) + 1)),
      ),
  },
  {
    id: 'reject.duration_below_min',
    title: 'a duration one below the documented minimum is rejected',
    field: 'duration',
    applies: (spec) => (durationBound(spec, 'minimum') === undefined ? 'no documented minimum duration' : undefined),
    body: (spec) => mutate(spec, (b) => setAt(b, settingField(spec, 'duration'), durationBound(spec, 'minimum')! - 1)),
  },
  {
    id: 'reject.duration_above_max',
    title: 'a duration one above the documented maximum is rejected',
    field: 'duration',
    applies: (spec) => (durationBound(spec, 'maximum') === undefined ? 'no documented maximum duration' : undefined),
    body: (spec) => mutate(spec, (b) => setAt(b, settingField(spec, 'duration'), durationBound(spec, 'maximum')! + 1)),
  },
  {
    id: 'reject.unknown_field',
    title: 'an unknown key is rejected where the schema forbids extra keys',
    field: '',
    applies: (spec) => (closedObjects(spec).length ? undefined : 'the documented schema allows extra keys'),
    body: (spec) => mutate(spec, (b) => setAt(b, `${closedObjects(spec)[0]}/kc_unknown_field`, true)),
  },
];

/** The documented example with the spec's way of sending a first frame to this text-to-video endpoint. */
export function firstFrameBody(spec: ProviderSpec): Record<string, unknown> {
  const ff = spec.x.firstFrame;
  return mutate(spec, (b) => {
    for (const p of ff.remove ?? []) deleteAt(b, p);
    for (const [p, v] of Object.entries(ff.set)) setAt(b, p, structuredClone(v));
  });
}

type FirstFrameObservation = RequestObservation | { notSent: string };

/**
 * reject.first_frame for every provider: the spec declares how a first frame would be sent and what the documents
 * say happens. Documented rejection: judged like any rejection. Documented acceptance: must be accepted (a billable
 * task: --allow-paid on live). Undocumented: sent anyway (free when rejected) and reported as an observation.
 */
const firstFrameCheck: CheckDefinition<FirstFrameObservation> = {
  id: 'reject.first_frame',
  family: 'reject',
  title:
    'a first frame sent to the text-to-video endpoint gets the documented outcome ' +
    '(rejected, accepted, or observed where undocumented)',
  cost: 'risky',
  target: 'any',
  notApplicable: notAvailable,
  probe: async (ctx) => {
    // documented as accepted, or undocumented (a gateway may make and bill a task): a paid check, picked by the plan
    const paid = ctx.spec.x.firstFrame.outcome !== 'reject';
    if (paid && !paidAllowed(ctx, 'reject.first_frame'))
      return {
        notSent: ctx.allowPaid
          ? notPaidReason(ctx, 'reject.first_frame')
          : `the documents ${firstFrameSays(ctx.spec)}: that may create a billable task; pass --allow-paid to run it`,
      };
    return observeCreate(ctx, 'reject.first_frame', firstFrameBody(ctx.spec), {
      spendAs: paid ? 'reject.first_frame' : 'risky',
    });
  },
  evaluate: (spec, obs) => {
    if ('notSent' in obs) return { status: 'skip', message: obs.notSent };
    const ff = spec.x.firstFrame;
    const source = sourceText(spec, ff.source);
    const { status } = obs.response;
    const requestIds = requestIdsOf(obs.response);
    const accepted = status !== undefined && status >= 200 && status < 300;
    if (ff.outcome === 'reject') return evaluateRejection(spec, obs, { status: ff.status!, source });
    const unanswered = unansweredVerdict(obs.response);
    if (unanswered || status === undefined) return { ...unanswered!, source };
    const observed = { status, body: obs.response.body ?? obs.response.text };
    if (ff.outcome === 'accept') {
      return accepted
        ? {
            status: 'pass',
            message: `accepted (${status}), as documented`,
            expected: 'accepted',
            observed,
            source,
            requestIds,
            findings: [],
          }
        : {
            status: 'fail',
            message: `answered ${status}; the documents say a first frame is accepted`,
            expected: 'accepted',
            observed,
            source,
            requestIds,
            findings: [
              {
                kind: 'status',
                message: `answered ${status} where the documents say accepted`,
                expected: '2xx',
                observed: status,
                source,
                requestIds,
              },
            ],
          };
    }
    const billable = obs.tasksCreated === undefined ? ': on a live gateway that is a billable task' : '';
    const message = `no document says what happens; the gateway ${
      accepted ? `accepted it (${status})${billable}` : `answered ${status}`
    }`;
    return {
      status: 'info',
      message,
      expected: 'undocumented',
      observed,
      source,
      requestIds,
      findings: [
        {
          kind: 'undocumented',
          message,
          observed: status,
          source,
          requestIds,
          billableTasks: accepted && obs.tasksCreated === undefined ? 1 : undefined,
        },
      ],
    };
  },
};

function toCheck(c: RejectionCase): CheckDefinition<RequestObservation> {
  return {
    id: c.id,
    family: 'reject',
    title: c.title,
    cost: 'risky',
    target: 'any',
    notApplicable: (spec) => notAvailable(spec) ?? c.applies(spec),
    probe: (ctx) => observeCreate(ctx, c.id, c.body(ctx.spec)),
    evaluate: (spec, obs) => {
      const field =
        c.field === 'duration' ? settingField(spec, 'duration') : c.field === 'prompt' ? spec.x.prompt.field : c.field;
      return evaluateRejection(spec, obs, {
        status: invalidRequestStatus(spec),
        source: fieldSource(spec, field || '/'),
        inferred: inferredConstraint(spec, field),
      });
    },
  };
}

/** reject.enum.<field> for every enum-constrained request field of this provider. */
function enumChecks(spec: ProviderSpec): CheckDefinition<RequestObservation>[] {
  return enumFields(spec).map((field) => {
    const name = field.split('/').at(-1)!;
    return toCheck({
      id: `reject.enum.${name}`,
      title: `a ${name} outside the documented values is rejected`,
      field,
      applies: () => undefined,
      body: (s) => mutate(s, (b) => setAt(b, field, 'kc-undocumented-value')),
    });
  });
}

export const rejectionChecks = (spec: ProviderSpec): CheckDefinition<FirstFrameObservation>[] => [
  firstFrameCheck,
  ...(staticCases.map(toCheck) as CheckDefinition<FirstFrameObservation>[]),
  ...(enumChecks(spec) as CheckDefinition<FirstFrameObservation>[]),
];
/** The templates, for docs/checks.md (reject.enum.<field> is expanded per provider). */
export const rejectionCheckTemplates = [
  { id: firstFrameCheck.id, title: firstFrameCheck.title },
  ...staticCases.map((c) => ({ id: c.id, title: c.title })),
  { id: 'reject.enum.<field>', title: 'a value outside the documented enum is rejected (one check per enum field)' },
];

/** What the documents say a first frame in a text-to-video request does, in words. */
const firstFrameSays = (spec: ProviderSpec) =>
  spec.x.firstFrame.outcome === 'accept' ? 'say a first frame is accepted' : 'do not say what a first frame does';
