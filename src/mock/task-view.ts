import { pickClaim } from '../spec/claims.ts';
import { estimatePrice } from '../spec/price.ts';
import type { MockState } from './mock-state.ts';
import type { MockTask } from './task-store.ts';
import { renderTemplate } from './render-template.ts';
import { newRequestId } from './error-response.ts';

export const VIDEO_PATH = '/__mock/videos/';

/** The provider's own status word for a task's phase (a failed task reads as ended where no failed word is documented). */
export function statusWord(state: MockState, task: MockTask): string {
  const lc = state.spec.x.lifecycle;
  return { initial: lc.initial, running: lc.running, succeeded: lc.succeeded, failed: lc.failed ?? lc.succeeded }[
    task.phase
  ];
}

export function linkLifetimeSeconds(state: MockState): number {
  return pickClaim(state.spec.x.resultLink.lifetimeSeconds, state.options.claims).value;
}

/** Values the spec's templates may name: {{task.id}}, {{task.status}}, {{request.model}}, {{error.message}}… */
export function templateContext(state: MockState, task: MockTask): Record<string, unknown> {
  const status = statusWord(state, task);
  const failure =
    task.outcome === 'policy'
      ? 'content policy violation'
      : task.outcome === 'cancelled'
        ? 'cancelled'
        : 'generation failed';
  return {
    task: {
      id: task.id,
      status,
      progress: task.phase === 'initial' ? 0 : task.phase === 'running' ? 50 : 100,
      queuePosition: task.phase === 'initial' ? 0 : undefined,
      createdAt: Math.floor(task.createdAt / 1000),
      createdAtMs: task.createdAt,
      updatedAtMs: task.updatedAt,
      completedAt: task.completedAt === undefined ? undefined : Math.floor(task.completedAt / 1000),
      expiresAt:
        task.completedAt === undefined ? undefined : Math.floor(task.completedAt / 1000) + linkLifetimeSeconds(state),
      resultUrl: `${task.origin}${VIDEO_PATH}${task.videoToken}.mp4`,
      duration: task.settings.durationSeconds,
      externalId: task.externalId,
      price: estimatePrice(state.spec, task.settings).amount,
    },
    baseUrl: task.origin,
    request: task.request,
    error: task.phase === 'failed' ? { code: failureCode(state, task), message: failure } : undefined,
    requestId: newRequestId(),
  };
}

function failureCode(state: MockState, task: MockTask): string | number {
  const codes = state.spec.x.responses.failureCodes ?? {};
  return task.outcome === 'policy'
    ? (codes.policy ?? 'content_policy_violation')
    : (codes.generation ?? 'generation_failed');
}

export function renderCreate(state: MockState, task: MockTask): unknown {
  return renderTemplate(state.spec.x.responses.create, templateContext(state, task));
}

export function renderPoll(state: MockState, task: MockTask): unknown {
  const word = statusWord(state, task);
  const poll = state.spec.x.responses.poll;
  return renderTemplate(poll[word] ?? poll.default, templateContext(state, task));
}
