import { invalidRequestStatus, promptFields } from '../../spec/operations.ts';
import { inferredConstraint } from '../sources.ts';
import { deleteAt, setAt } from '../../core/json-pointer.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { requestIdsOf, unansweredVerdict } from '../probes/exchange-summary.ts';
import { notPaidReason, paidAllowed } from '../spend-class.ts';
import { closedObjects, enumFields, exampleBody, fieldSchema, hasPromptField } from '../probes/request-bodies.ts';
import { observeCreate, type RequestObservation } from '../probes/request-probes.ts';
import { fieldSource, sourceText } from '../sources.ts';
import type { CheckDefinition } from '../types.ts';
import type { Breaker } from '../breakers.ts';
import { notAvailable } from './defaults.ts';
import { evaluateRejection } from './rejection-verdict.ts';
import { callbackRejectionChecks, callbackRejectionTemplate } from './callback-rejections.ts';

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
  // a first frame the documents refuse is risky; accepted, or undocumented (an observation a gateway may bill), paid
  spendClass: (spec) => (spec.x.firstFrame.outcome === 'reject' ? 'risky' : 'paid'),
  notApplicable: notAvailable,
  // accepted as documented: a gateway that rejects it; else one that accepts it, and one that rejects it for the
  // wrong reason (it ignores the fields that may carry the prompt instead, then says the prompt is required)
  breakers: (spec) =>
    spec.x.firstFrame.outcome === 'accept'
      ? [{ gateway: 'empties-create' }]
      : [
          { gateway: 'accepts-invalid' },
          ...(spec.x.prompt.alternatives?.length
            ? [{ gateway: 'drops-fields' as const, pointers: spec.x.prompt.alternatives }]
            : []),
        ],
  neverFails: (spec) =>
    spec.x.firstFrame.outcome === 'undocumented'
      ? {
          why: 'no document says what a first frame does here: the run reports an observation (info)',
          faithful: 'info',
        }
      : undefined,
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

function toCheck(
  c: RejectionCase,
  breakers: Breaker[] = [{ gateway: 'accepts-invalid' }],
): CheckDefinition<RequestObservation> {
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
    breakers: () => breakers,
  };
}

/** a gateway that rejects the request but still makes a task for it; one that accepts it */
const REJECTS_BUT_CREATES: Breaker[] = [{ gateway: 'creates-then-answers' }, { gateway: 'accepts-invalid' }];

/** reject.enum.<field> for every enum-constrained request field of this provider. */
function enumChecks(spec: ProviderSpec): CheckDefinition<RequestObservation>[] {
  return enumFields(spec).map((field) => {
    const name = field.split('/').at(-1)!;
    return toCheck(
      {
        id: `reject.enum.${name}`,
        title: `a ${name} outside the documented values is rejected`,
        field,
        applies: () => undefined,
        body: (s) => mutate(s, (b) => setAt(b, field, 'kc-undocumented-value')),
      },
      REJECTS_BUT_CREATES,
    );
  });
}

export const rejectionChecks = (spec: ProviderSpec): CheckDefinition<FirstFrameObservation>[] => [
  firstFrameCheck,
  ...(staticCases.map((c) => toCheck(c)) as CheckDefinition<FirstFrameObservation>[]),
  ...(enumChecks(spec) as CheckDefinition<FirstFrameObservation>[]),
  ...(callbackRejectionChecks(spec) as unknown as CheckDefinition<FirstFrameObservation>[]),
];
/** The templates, for docs/checks.md (reject.enum.<field> is expanded per provider). */
export const rejectionCheckTemplates = [
  { id: firstFrameCheck.id, title: firstFrameCheck.title },
  ...staticCases.map((c) => ({ id: c.id, title: c.title })),
  { id: 'reject.enum.<field>', title: 'a value outside the documented enum is rejected (one check per enum field)' },
  callbackRejectionTemplate,
].map((t) => ({ ...t, cost: 'risky' as const, target: 'any' as const }));

/** What the documents say a first frame in a text-to-video request does, in words. */
const firstFrameSays = (spec: ProviderSpec) =>
  spec.x.firstFrame.outcome === 'accept' ? 'say a first frame is accepted' : 'do not say what a first frame does';
