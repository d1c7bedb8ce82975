import { dedupeKey } from '../spec/dedupe-key.ts';
import { invalidRequestStatus, rejectionStatus, successStatuses } from '../spec/operations.ts';
import { getAt, deleteAt, setAt } from '../core/json-pointer.ts';
import { type Diagnostic, rejectionMessage } from '../validate/describe-errors.ts';
import { accountCallbackUrl, isLoopbackUrl } from './callbacks.ts';
import { webhookNotConfigured, type WebhookNotConfigured } from '../validate/callback-url.ts';
import type { MockState } from './mock-state.ts';
import { readJsonBody } from './read-body.ts';
import { keptRequest } from './kept-request.ts';
import { applyTransportStep, checkRateLimit, fail, nextStep, noteOn } from './respond.ts';
import { checkAuth } from './check-auth.ts';
import { renderCreate } from './task-view.ts';
import type { TaskOutcome } from './task-store.ts';
import {
  answerJson,
  answerJsonText,
  escapeRegExp,
  isMockResponse,
  type MockRequest,
  type MockResponse,
} from './mock-route.ts';

/** POST <create path>: the documented pipeline of a gateway, each step read from the spec. */
export async function handleCreate(state: MockState, request: MockRequest): Promise<MockResponse> {
  const step = nextStep(state, request, 'create');
  if (isMockResponse(step)) return step;
  const early =
    (await applyTransportStep(state, step)) ?? checkRateLimit(state, 'create') ?? (await checkAuth(state, request));
  if (early) return early;

  const read = await readJsonBody(request);
  if (!read.ok) return fail(state, invalidRequestStatus(state.spec), read.message);
  const body = read.body;

  const availability = state.spec.x.availability;
  if (availability.state === 'not_available' && availability.response) {
    return answerJson(availability.response.body, { status: availability.response.status });
  }

  const problems = findProblems(state, body);
  if (problems.length > 0) {
    state.rejections.set(request, problems);
    return fail(state, rejectionStatus(state.spec, problems), rejectionMessage(problems));
  }

  const unconfigured = webhookNotConfigured(state.spec, body, state.options);
  if (unconfigured) {
    state.rejections.set(request, [unconfiguredDiagnostic(state, unconfigured)]);
    return fail(state, unconfigured.status, unconfiguredMessage(unconfigured), undefined, unconfigured.code);
  }

  const outcome: TaskOutcome = step.kind === 'task' ? step.outcome : 'succeed';
  const task = createTask(state, request, normalise(state, body), outcome, read.chars);
  if (step.kind === 'expired-link') task.linkExpired = true;
  noteOn(state, request, { taskId: task.id });
  if (step.kind === 'commit-500') return fail(state, 500, 'internal error after the task was created');
  return answerJsonText(renderCreate(state, task), { status: successStatuses(state.spec, 'create')[0] });
}

function findProblems(state: MockState, body: Record<string, unknown>): Diagnostic[] {
  const callbacks = state.spec.x.callbacks?.field
    ? { ...state.spec.x.callbacks, field: state.spec.x.callbacks.field }
    : undefined;
  const url = callbacks ? getAt(body, callbacks.field) : undefined;
  // The loopback switch also lifts the schema's own https pattern on that one field (test receivers are http).
  const loopbackAllowed = state.options.allowLoopbackCallbacks && typeof url === 'string' && isLoopbackUrl(url);
  return state.validators
    .request(body, { callbackDefault: state.options.callbackDefault })
    .errors.filter((d) => !(loopbackAllowed && d.pointer === callbacks?.field));
}

/** The mock option that gives the account each webhook setting (said in the refusal, so a user knows the switch). */
const SETTING_OPTION = {
  'default-url': 'a default callback URL (--callback-default)',
  secret: 'a secret (--callback-secret)',
};

/**
 * A callback URL sent while the account's webhooks are not configured. Refused after the body's own checks: which
 * comes first is not documented (our reading; either way the answer is the documented 400).
 */
function unconfiguredMessage(u: WebhookNotConfigured): string {
  return `${u.code}: a callback URL needs Webhooks configured on this token; it lacks ${u.missing
    .map((m) => SETTING_OPTION[m])
    .join(' and ')}`;
}

const unconfiguredDiagnostic = (state: MockState, u: WebhookNotConfigured): Diagnostic => ({
  pointer: state.spec.x.callbacks!.field!,
  message: unconfiguredMessage(u),
  keyword: 'webhook',
  rule: 'callback.requiresConfiguredWebhook',
});

/**
 * Documented normalisation (full-width punctuation) and precedence (top-level prompt over contents), in place: the
 * body is this request's own parse, shared with nothing.
 */
function normalise(state: MockState, body: Record<string, unknown>): Record<string, unknown> {
  for (const n of state.spec.x.normalise ?? []) {
    const value = getAt(body, n.field);
    if (typeof value === 'string') {
      const pattern = mappedCharacters(n.map);
      if (pattern.test(value))
        setAt(
          body,
          n.field,
          value.replace(pattern, (ch) => n.map[ch]!),
        );
    }
  }
  for (const rule of state.spec.x.rules ?? []) {
    if (rule.kind === 'precedence' && getAt(body, rule.prefer) !== undefined && getAt(body, rule.over) !== undefined)
      deleteAt(body, rule.over);
  }
  return body;
}

/** One pattern matching any character a normalisation map replaces (kept per map; keys are single characters). */
const patterns = new WeakMap<Record<string, string>, RegExp>();
function mappedCharacters(map: Record<string, string>): RegExp {
  let pattern = patterns.get(map);
  if (!pattern) {
    const chars = Object.keys(map).filter((ch) => [...ch].length === 1);
    // `u`: astral characters are one character; an empty map matches nothing
    pattern = chars.length ? new RegExp(chars.map(escapeRegExp).join('|'), 'gu') : /(?!)/g;
    patterns.set(map, pattern);
  }
  pattern.lastIndex = 0;
  return pattern;
}

function createTask(
  state: MockState,
  request: MockRequest,
  body: Record<string, unknown>,
  outcome: TaskOutcome,
  chars: number,
) {
  const x = state.spec.x;
  const kept = keptRequest(state.spec, body, chars);
  const { settings, price } = state.settings.resolve(body);
  const externalId = x.idempotency ? (getAt(body, x.idempotency.field) as string | undefined) : undefined;
  // a request without its own callback URL is called back at the account's default, where documented and configured
  const own = x.callbacks?.field ? (getAt(body, x.callbacks.field) as string | undefined) : undefined;
  const callbackUrl = own ?? accountCallbackUrl(state);
  const { task } = state.tasks.create(
    {
      createdAt: state.clock.now(),
      request: kept.request,
      droppedFields: kept.dropped,
      settings,
      externalId,
      callbackUrl,
      outcome,
      traceId: request.headers.get('x-mock-scenario-id') ?? undefined,
      origin: state.options.publicBaseUrl?.replace(/\/$/, '') ?? originOf(request.url),
      price,
    },
    dedupeKey(state.spec) !== undefined,
  );
  return task;
}

/** scheme://host[:port] of an absolute URL, without parsing the whole URL on every create */
const originOf = (url: string): string => {
  const end = url.indexOf('/', url.indexOf('//') + 2);
  return end < 0 ? url : url.slice(0, end);
};
