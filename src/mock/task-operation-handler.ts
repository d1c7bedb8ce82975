import type { TaskOperationName } from '../spec/task-model.ts';
import { successStatuses } from '../spec/operations.ts';
import type { MockTask } from './task-store.ts';
import type { MockState } from './mock-state.ts';
import { applyTransportStep, checkRateLimit, fail, nextStep, noteOn } from './respond.ts';
import { checkAuth } from './check-auth.ts';
import { renderPollJson, taskValues } from './task-view.ts';
import { compileTemplate } from './render-template.ts';
import { taskEvent } from './callback-delivery.ts';
import { answerJson, answerJsonText, isMockResponse, type MockRequest, type MockResponse } from './mock-route.ts';

/**
 * A declared task operation (poll, result, cancel): find the task (path or query parameter, as the spec says),
 * move it along, answer with the operation's documented body.
 */
export async function handleTaskOperation(
  state: MockState,
  name: TaskOperationName,
  request: MockRequest,
  pathId: string | undefined,
): Promise<MockResponse> {
  const step = nextStep(state, request, name);
  if (isMockResponse(step)) return step;
  const early =
    (await applyTransportStep(state, step)) ?? checkRateLimit(state, 'poll') ?? (await checkAuth(state, request));
  if (early) return early;

  const where = state.spec.x.operations[name]!.taskId;
  const id = where.in === 'path' ? pathId : (new URL(request.url).searchParams.get(where.name) ?? undefined);
  const malformed = state.spec.x.lifecycle.malformedId;
  if (malformed && !id?.startsWith(state.spec.x.responses.taskIdPrefix))
    return fail(state, malformed.status, `malformed task id "${id ?? ''}"`, undefined, malformed.code);
  const task = id ? state.tasks.get(id) : undefined;
  if (id) noteOn(state, request, { taskId: id });
  if (!task) return fail(state, 404, `task ${id ?? ''} not found`);

  const status = successStatuses(state.spec, name)[0];
  if (name === 'poll') {
    if (state.tasks.advance(task, state.clock.now(), progress(state), true)) fireCallback(state, task);
    return answerJsonText(renderPollJson(state, task), { status });
  }
  const ended = task.phase === 'succeeded' || task.phase === 'failed';
  if (name === 'cancel') {
    const cancel = state.spec.x.responses.cancel!;
    // the mock's reading where the documents give no body: an ended task cannot be cancelled (fal: ALREADY_COMPLETED)
    if (ended) return fail(state, 400, `task ${task.id} has already ended`);
    state.tasks.cancel(task, state.clock.now());
    return answerJson(compileTemplate(cancel.body)(taskValues(state, task)), {
      status: cancel.status,
    });
  }
  // result: the finished task's body; before the end, or for a failed task, the documented error answer
  if (!ended) return fail(state, 400, `task ${task.id} has not finished`);
  const values = taskValues(state, task);
  if (task.phase === 'failed')
    return fail(state, 500, values('error.message') as string, undefined, values('error.code') as string | number);
  return answerJson(compileTemplate(state.spec.x.responses.result!)(values), { status });
}

export function progress(state: MockState) {
  return { afterPolls: state.options.completeAfterPolls, afterMs: state.options.completeAfterMs };
}

/**
 * When a task ends and it has a callback URL (its request's, or the account's default where documented), send what
 * the documents give as the callback body (the event, the task as poll shows it, or the part of it at
 * `callbacks.payloadPointer`), signed where documented, and again on failure where documented (the outbox).
 */
export function fireCallback(state: MockState, task: MockTask): void {
  if (!task.callbackUrl || task.callbackSent) return;
  task.callbackSent = true;
  void state.outbox.send(task.callbackUrl, taskEvent(state, task));
}
