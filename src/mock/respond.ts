import { successStatuses } from '../spec/operations.ts';
import type { MockState } from './mock-state.ts';
import { parseScenario, type ScenarioStep } from './scenarios.ts';
import { errorResponse } from './error-response.ts';
import { DROP, answer, answerJson, type MockRequest, type MockResponse } from './mock-route.ts';
import type { FaultOperation } from '../faults/fault-plan.ts';
import type { ExchangeNote } from '../har/har-types.ts';
import { CLIENT_ID_HEADER, clientOf, credentialOf } from '../har/client-id.ts';

/** The documented error body for a status, honouring the claim choice and the error-shape deviation. */
export function fail(
  state: MockState,
  status: number,
  message: string,
  headers?: Record<string, string>,
  code?: string | number,
): MockResponse {
  return errorResponse(state.spec, status, message, { claims: state.options.claims, headers, code });
}

/** Headers a 429 carries where the provider documents them (Retry-After, X-RateLimit-*). */
export function rateLimitHeaders(
  state: MockState,
  retryAfter: string | undefined,
  remaining = 0,
  resetSeconds = Number(retryAfter) || 0,
): Record<string, string> {
  const names = state.spec.x.rateLimit?.headers ?? { retryAfter: 'Retry-After' };
  const out: Record<string, string> = {};
  if (names.retryAfter && retryAfter !== undefined) out[names.retryAfter] = retryAfter;
  if (names.limit)
    out[names.limit] = String(
      state.spec.x.rateLimit?.create.perMinute ?? state.spec.x.rateLimit?.create.perSecond ?? 0,
    );
  if (names.remaining) out[names.remaining] = String(remaining);
  if (names.reset) out[names.reset] = String(resetSeconds);
  return out;
}

/** A scripted delay; a stopping mock does not wait it out. The abort listener goes with the delay (none piles up). */
async function delayUnlessClosing(state: MockState, ms: number): Promise<void> {
  const signal = state.closing.signal;
  if (signal.aborted) return;
  let onAbort: () => void = () => undefined;
  try {
    await Promise.race([
      state.clock.sleep(ms),
      new Promise<void>((resolve) => signal.addEventListener('abort', (onAbort = () => resolve()), { once: true })),
    ]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Applies the transport-level part of a scenario step; returns a response when the step decides it. */
export async function applyTransportStep(state: MockState, step: ScenarioStep): Promise<MockResponse | undefined> {
  switch (step.kind) {
    case 'delay':
      await delayUnlessClosing(state, step.ms);
      return undefined;
    case 'reset':
      return DROP;
    case 'malformed':
      // a success status with a body cut short
      return answer('{"id": "trunc', {
        status: successStatuses(state.spec, 'create')[0],
        headers: { 'content-type': 'application/json' },
      });
    case 'status':
      if (step.status === 200) return undefined;
      // a scripted 429 carries Retry-After only when the scenario names one: no spec documents a default value
      return fail(
        state,
        step.status,
        `scripted ${step.status}`,
        step.status === 429 ? rateLimitHeaders(state, step.retryAfter) : undefined,
      );
    default:
      return undefined;
  }
}

/** Rate limit, when enabled: a 429 with the documented headers once the bucket is empty. */
export function checkRateLimit(state: MockState, which: 'create' | 'poll'): MockResponse | undefined {
  const limiter = state.limiters[which];
  if (!limiter) return undefined;
  const r = limiter.take();
  return r.allowed
    ? undefined
    : fail(
        state,
        429,
        'rate limit exceeded',
        rateLimitHeaders(state, String(r.retryAfterSeconds), r.remaining, r.resetSeconds),
      );
}

/**
 * The scenario step for this request; a malformed x-mock-scenario header is the caller's mistake: a plain 400.
 * A request with no scenario header meets the fault plan's step for its client, when a plan is loaded.
 */
export function nextStep(
  state: MockState,
  request: MockRequest,
  operation: FaultOperation,
): ScenarioStep | MockResponse {
  try {
    const header = request.headers.get('x-mock-scenario');
    const fault = !header && state.faults ? state.faults.next(clientOfRequest(state, request), operation) : undefined;
    if (fault) {
      noteOn(state, request, { operation, step: fault.step, fault: fault.id });
      return parseScenario(fault.step)[0] ?? { kind: 'ok' };
    }
    const step = state.scenarios.next(header, request.headers.get('x-mock-scenario-id'));
    noteOn(state, request, { operation, step: header ? stepText(step) : undefined });
    return step;
  } catch (err) {
    return answerJson({ mock_error: (err as Error).message }, { status: 400 });
  }
}

/** Who sent a request (x-client-id, else a fingerprint of its credential): faults are counted per client. */
const clientOfRequest = (state: MockState, request: MockRequest): string => {
  const auth = state.spec.x.auth;
  return clientOf(
    request.headers.get(CLIENT_ID_HEADER) ?? undefined,
    credentialOf(request.headers.get(auth.header) ?? undefined, auth.prefix),
  );
};

/** Adds to what the record says about this exchange (only while recording). */
export function noteOn(state: MockState, request: MockRequest, note: ExchangeNote): void {
  if (!state.recorder) return;
  // one shape for every note, field by field (no loop over keys): this runs for every request a recording mock answers
  const seen = (request.note ??= { operation: undefined, taskId: undefined, step: undefined, fault: undefined });
  if (note.operation !== undefined) seen.operation = note.operation;
  if (note.taskId !== undefined) seen.taskId = note.taskId;
  if (note.step !== undefined) seen.step = note.step;
  if (note.fault !== undefined) seen.fault = note.fault;
}

/** A step as the scenario header spells it. */
export function stepText(step: ScenarioStep): string {
  switch (step.kind) {
    case 'status':
      return step.retryAfter === undefined ? String(step.status) : `${step.status}:${step.retryAfter}`;
    case 'delay':
      return `delay:${step.ms}`;
    case 'task':
      return step.outcome;
    default:
      return step.kind;
  }
}
