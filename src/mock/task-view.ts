import { pickClaim } from '../spec/claims.ts';
import { REQUEST_PREFIX } from '../spec/template-variables.ts';
import type { MockState } from './mock-state.ts';
import type { MockTask } from './task-store.ts';
import { compileJsonTemplate, compileTemplate, lookup, type TemplateValues } from './render-template.ts';
import { newRequestId } from './error-response.ts';

export const VIDEO_PATH = '/__mock/videos/';

/**

 * The provider's own status word for a task's phase (a failed task reads as ended where no failed word is documented).

 */
export function statusWord(state: MockState, task: MockTask): string {
  const lc = state.spec.x.lifecycle;
  switch (task.phase) {
    case 'initial':
      return lc.initial;
    case 'running':
      return lc.running;
    case 'succeeded':
      return lc.succeeded;
    default:
      return lc.failed ?? lc.succeeded;
  }
}

export function linkLifetimeSeconds(state: MockState): number {
  return pickClaim(state.spec.x.resultLink.lifetimeSeconds, state.options.claims).value;
}

/**
 * When a succeeded task's result link expires (epoch ms): the documented life after it ended. The expired-link
 * fault does not move this stated expiry (no gateway hands out a link that expired before its task ended): the
 * link is withdrawn early instead, and answers expired on every fetch (see linkAnswersExpired).
 */
export function linkExpiresAt(state: MockState, task: MockTask): number {
  const completed = task.completedAt ?? state.clock.now();
  return completed + linkLifetimeSeconds(state) * 1000;
}

/** Whether a fetch of the task's result link now answers expired: past its stated expiry, or withdrawn by the fault. */
export function linkAnswersExpired(state: MockState, task: MockTask): boolean {
  return task.linkExpired === true || state.clock.now() >= linkExpiresAt(state, task);
}

/**
 * The values the spec's templates may name ({{task.id}}, {{task.status}}, {{request.model}}, {{error.message}}…; the
 * list is TEMPLATE_VARIABLES), each computed only when a template names it. One lookup per answer: a request id
 * named twice is the same id.
 */
export function taskValues(state: MockState, task: MockTask): TemplateValues {
  let requestId: string | undefined;
  return (path) => {
    switch (path) {
      case 'task.id':
        return task.id;
      case 'task.status':
        return statusWord(state, task);
      case 'task.progress':
        return task.phase === 'initial' ? 0 : task.phase === 'running' ? 50 : 100;
      case 'task.queuePosition':
        return task.phase === 'initial' ? 0 : undefined;
      case 'task.createdAt':
        return Math.floor(task.createdAt / 1000);
      case 'task.createdAtMs':
        return task.createdAt;
      case 'task.updatedAtMs':
        return task.updatedAt;
      case 'task.completedAt':
        return task.completedAt === undefined ? undefined : Math.floor(task.completedAt / 1000);
      case 'task.expiresAt':
        return task.completedAt === undefined ? undefined : Math.floor(linkExpiresAt(state, task) / 1000);
      case 'task.linkLifetime':
        return task.completedAt === undefined ? undefined : linkLifetimeSeconds(state);
      case 'task.resultUrl':
        return `${task.origin}${VIDEO_PATH}${encodeURIComponent(task.videoToken)}.mp4`;
      case 'task.duration':
        return task.settings.durationSeconds;
      case 'task.externalId':
        return task.externalId;
      case 'task.price':
        // the documented price of these settings, estimated once when the task was created
        return task.price;
      case 'task.credits':
        return taskCredits(state, task.price);
      case 'baseUrl':
        return task.origin;
      case 'requestId':
        requestId ??= newRequestId();
        return requestId;
      case 'error.code':
        return task.phase === 'failed' ? failureCode(state, task) : undefined;
      case 'error.message':
        return task.phase === 'failed' ? failureMessage(task) : undefined;
      default:
        return path.startsWith(REQUEST_PREFIX) ? lookup(task.request, path.slice(REQUEST_PREFIX.length)) : undefined;
    }
  };
}

const failureMessage = (task: MockTask): string =>
  task.outcome === 'policy'
    ? 'content policy violation'
    : task.outcome === 'cancelled'
      ? 'cancelled'
      : 'generation failed';

function failureCode(state: MockState, task: MockTask): string | number {
  const codes = state.spec.x.responses.failureCodes ?? {};
  return task.outcome === 'policy'
    ? (codes.policy ?? 'content_policy_violation')
    : (codes.generation ?? 'generation_failed');
}

/** The create answer as JSON text. */
export function renderCreate(state: MockState, task: MockTask): string {
  return compileJsonTemplate(state.spec.x.responses.create)(taskValues(state, task)) ?? 'null';
}

/**
 * A task's last poll answer and what it was rendered from: its template and the task fields its values read that
 * change (phase, times, outcome, the expired-link fault). Every other value a template may name is fixed at creation.
 */
interface RenderedPoll {
  template: unknown;
  phase: MockTask['phase'];
  updatedAt: number;
  completedAt: number | undefined;
  outcome: MockTask['outcome'];
  linkExpired: MockTask['linkExpired'];
  text: string;
}
const renderedPolls = new WeakMap<MockTask, RenderedPoll>();

/**
 * The poll answer as JSON text (what renderPoll builds, serialised). A task polled again unchanged gets the very
 * string it got before (a recorder then finds it remembered without reading it again); an answer naming
 * {{requestId}} is rendered anew every time.
 */
export function renderPollJson(state: MockState, task: MockTask): string {
  const word = statusWord(state, task);
  const poll = state.spec.x.responses.poll;
  const template = poll[word] ?? poll.default;
  const last = renderedPolls.get(task);
  if (
    last?.template === template &&
    last.phase === task.phase &&
    last.updatedAt === task.updatedAt &&
    last.completedAt === task.completedAt &&
    last.outcome === task.outcome &&
    last.linkExpired === task.linkExpired
  )
    return last.text;
  const values = taskValues(state, task);
  let perAnswer = false;
  const text =
    compileJsonTemplate(template)((path) => {
      if (path === 'requestId') perAnswer = true;
      return values(path);
    }) ?? 'null';
  const { phase, updatedAt, completedAt, outcome, linkExpired } = task;
  if (perAnswer) renderedPolls.delete(task);
  else renderedPolls.set(task, { template, phase, updatedAt, completedAt, outcome, linkExpired, text });
  return text;
}

export function renderPoll(state: MockState, task: MockTask): unknown {
  const word = statusWord(state, task);
  const poll = state.spec.x.responses.poll;
  return compileTemplate(poll[word] ?? poll.default)(taskValues(state, task));
}

/**
 * The task's price in credits: the price itself where the spec prices in credits, else the price over the documented
 * `usdPerCredit` (EvoLink: $0.075 a second is 5.4 credits), to two decimals; absent where no rate is documented.
 */
function taskCredits(state: MockState, price: number | undefined): number | undefined {
  const p = state.spec.x.pricing;
  if (price === undefined) return undefined;
  if (p.kind === 'credits_per_second' || p.currency === 'credits') return price;
  return p.usdPerCredit ? Math.round((price / p.usdPerCredit) * 100) / 100 : undefined;
}
