import { HttpResponse } from 'msw';
import { advanceTask, type MockTask } from './task-store.ts';
import type { MockState } from './mock-state.ts';
import { applyTransportStep, checkAuth, checkRateLimit, fail, nextStep } from './respond.ts';
import { renderPoll } from './task-view.ts';
import { sendCallback } from './callbacks.ts';

/** GET <poll path>: find the task (path or query parameter, as the spec says), move it along, render it. */
export async function handlePoll(state: MockState, request: Request, pathId: string | undefined): Promise<Response> {
  const step = nextStep(state, request);
  if (step instanceof Response) return step;
  const early = (await applyTransportStep(state, step)) ?? checkRateLimit(state, 'poll') ?? checkAuth(state, request);
  if (early) return early;

  const where = state.spec.x.operations.poll.taskId;
  const id = where.in === 'path' ? pathId : (new URL(request.url).searchParams.get(where.name) ?? undefined);
  const malformed = state.spec.x.lifecycle.malformedId;
  if (malformed && (!id || !id.startsWith(state.spec.x.responses.taskIdPrefix))) return fail(state, malformed.status, `malformed task id "${id ?? ''}"`, undefined, malformed.code);
  const task = id ? state.tasks.get(id) : undefined;
  if (!task) return fail(state, 404, `task ${id ?? ''} not found`);

  if (advanceTask(task, state.clock.now(), progress(state), true)) fireCallback(state, task);
  return HttpResponse.json(renderPoll(state, task) as Record<string, unknown>, { status: 200 });
}

export function progress(state: MockState) {
  return { afterPolls: state.options.completeAfterPolls, afterMs: state.options.completeAfterMs };
}

/** When a task ends and the request named a callback URL, POST the task as poll shows it (payload inferred). */
export function fireCallback(state: MockState, task: MockTask): void {
  if (!task.callbackUrl || task.callbackSent) return;
  task.callbackSent = true;
  const sending = sendCallback(task.callbackUrl, renderPoll(state, task), state.spec.x.callbacks?.timeoutSeconds, state.options.callbackAllow).then((record) => {
    state.callbacks.push(record);
    if (state.callbacks.length > 1000) state.callbacks.shift();
  });
  state.pending.add(sending);
  void sending.finally(() => state.pending.delete(sending));
}
