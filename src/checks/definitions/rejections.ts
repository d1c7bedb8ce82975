import { deleteAt, getAt, setAt } from '../../core/json-pointer.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { requestIdsOf } from '../probes/exchange-summary.ts';
import { closedObjects, enumFields, exampleBody, fieldSchema, hasPromptField } from '../probes/request-bodies.ts';
import { observeCreate, type RequestObservation } from '../probes/request-probes.ts';
import { fieldSource } from '../sources.ts';
import type { CheckDefinition, Verdict } from '../types.ts';
import { notAvailable } from './defaults.ts';

/**
 * Pure: a documented rejection holds when the status is the documented one, the body has the documented
 * error shape, and no task was created (where a mock lets us see it).
 */
export function evaluateRejection(spec: ProviderSpec, obs: RequestObservation, expectedStatus: number, source: string | undefined): Verdict {
  const status = obs.response.status;
  const problems: string[] = [];
  const warnings: string[] = [];
  if (status !== expectedStatus) problems.push(`answered ${status ?? obs.response.error} instead of ${expectedStatus}`);
  const shape = status !== undefined ? compileValidators(spec).response('create', status) : undefined;
  if (status === expectedStatus && shape) {
    const errors = shape(obs.response.body).errors;
    if (errors.length) problems.push(`error body is not the documented shape (${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')})`);
  }
  if (obs.tasksCreated !== undefined && obs.tasksCreated > 0) problems.push(`created ${obs.tasksCreated} task(s) for a rejected request`);
  if (obs.tasksCreated === undefined) warnings.push('whether a task was created cannot be seen on this target (no list endpoint is documented)');
  if (status !== undefined && status >= 200 && status < 300) warnings.push('the provider accepted an invalid request: this created a billable task');
  return {
    status: problems.length ? 'fail' : 'pass',
    message: problems.length ? problems.join('; ') : `rejected with ${status} and the documented error body`,
    expected: { status: expectedStatus, tasksCreated: 0 },
    observed: { status, body: obs.response.body ?? obs.response.text, tasksCreated: obs.tasksCreated },
    source,
    requestIds: requestIdsOf(obs.response),
    warnings: warnings.length ? warnings : undefined,
    billableTasks: status !== undefined && status >= 200 && status < 300 ? 1 : undefined,
  };
}

interface RejectionCase {
  id: string;
  title: string;
  field: string;
  applies(spec: ProviderSpec): string | undefined;
  body(spec: ProviderSpec): unknown;
}

const settingField = (spec: ProviderSpec, name: string) => spec.x.settings[name]!.field;
const durationBound = (spec: ProviderSpec, key: 'minimum' | 'maximum') => fieldSchema(spec, settingField(spec, 'duration'))?.[key] as number | undefined;
const mutate = (spec: ProviderSpec, edit: (b: Record<string, unknown>) => void) => {
  const body = exampleBody(spec);
  edit(body);
  return body;
};

const staticCases: RejectionCase[] = [
  {
    id: 'reject.first_frame',
    title: 'a first_frame contents item is rejected in text-to-video',
    field: '/contents',
    applies: (spec) => (getAt(spec.create.requestSchema, '/properties/contents/items/properties/type/const') === undefined ? 'the request has no typed contents[] items' : undefined),
    body: (spec) => mutate(spec, (b) => {
      deleteAt(b, '/prompt');
      b.contents = [{ type: 'first_frame', text: 'a cat running' }];
    }),
  },
  {
    id: 'reject.prompt_missing',
    title: 'a request without a prompt is rejected',
    field: '/prompt',
    applies: (spec) => (hasPromptField(spec) ? undefined : 'the request has no prompt field'),
    body: (spec) => mutate(spec, (b) => {
      deleteAt(b, '/prompt');
      deleteAt(b, '/contents');
    }),
  },
  {
    id: 'reject.prompt_too_long',
    title: 'a prompt one character over the documented maximum is rejected',
    field: '/prompt',
    applies: (spec) => (typeof fieldSchema(spec, '/prompt')?.maxLength === 'number' ? undefined : 'no documented prompt length limit'),
    body: (spec) => mutate(spec, (b) => setAt(b, '/prompt', 'x'.repeat((fieldSchema(spec, '/prompt')!.maxLength as number) + 1))),
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

function toCheck(c: RejectionCase): CheckDefinition<RequestObservation> {
  return {
    id: c.id,
    family: 'reject',
    title: c.title,
    cost: 'free',
    target: 'any',
    notApplicable: (spec) => notAvailable(spec) ?? c.applies(spec),
    probe: (ctx) => observeCreate(ctx, c.id, c.body(ctx.spec)),
    evaluate: (spec, obs) => evaluateRejection(spec, obs, 400, fieldSource(spec, c.field === 'duration' ? settingField(spec, 'duration') : c.field || '/')),
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

export const rejectionChecks = (spec: ProviderSpec): CheckDefinition<RequestObservation>[] => [...staticCases.map(toCheck), ...enumChecks(spec)];
/** The templates, for docs/checks.md (reject.enum.<field> is expanded per provider). */
export const rejectionCheckTemplates = [...staticCases.map((c) => ({ id: c.id, title: c.title })), { id: 'reject.enum.<field>', title: 'a value outside the documented enum is rejected (one check per enum field)' }];
