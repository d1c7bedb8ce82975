import type { CallbackAnswer } from './callback-target.ts';
import type { CallbackDelivery, PreparedEvent } from './callback-delivery.ts';
import type { MockState } from './mock-state.ts';

/**
 * A delivery attempt in the mock's recording (`--record`), beside the client's traffic: the mock's POST as the
 * request, the receiver's answer as the response (status 0 with the reason when there was none). Its `_kc.operation`
 * is `callback` (verify-client leaves such entries out: they are the mock's traffic, not the client's); the
 * recorder redacts it as it does every entry (the webhook secrets are registered like keys). An attempt the mock's
 * outbound policy refused was never sent and is not recorded (/__mock/callbacks lists it).
 */
export function recordAttempt(
  state: MockState,
  job: { url: string; event: PreparedEvent; attempts: number },
  delivery: CallbackDelivery,
  answer: CallbackAnswer,
  time: { started: number; ended: number },
): void {
  if (!state.recorder || answer.blocked !== undefined) return;
  state.recorder.record({
    method: 'POST',
    url: job.url,
    headers: { ...delivery.headers, 'content-type': 'application/json' },
    body: Buffer.from(delivery.body),
    startedAt: time.started,
    endedAt: time.ended,
    response: {
      status: answer.status ?? 0,
      headers: answer.headers ?? {},
      body: answer.body ?? '',
      ...(answer.status === undefined ? { comment: `no answer: ${answer.error ?? 'unknown'}` } : {}),
    },
    note: { operation: 'callback', taskId: job.event.taskId, step: `attempt ${job.attempts}` },
  });
}
