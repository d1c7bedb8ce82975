import type { MockState } from './mock-state.ts';
import { answerJson, type MockRequest, type MockRoute } from './mock-route.ts';
import { fireCallback, progress } from './task-operation-handler.ts';
import { statusWord } from './task-view.ts';
import { sendTestEvent } from './test-event.ts';
import { CALLBACK_RECORD_LIMIT } from './callbacks.ts';
import type { MockTask } from './task-store.ts';

export const ADMIN_PREFIX = '/__mock';
/** The furthest one /__mock/clock call moves virtual time: 100 days (longer than any documented link life). */
const MAX_ADVANCE_MS = 100 * 86_400_000;

/**
 * Control endpoints under /__mock/ for suites that reach the mock over HTTP: virtual time, scenarios,
 * and what happened (tasks created, callbacks sent). A live gateway has none of these; checks that use
 * them say so and are skipped live.
 */
export function adminRoutes(state: MockState): MockRoute[] {
  const at = (path: string) => `${ADMIN_PREFIX}${path}`;
  return [
    route('GET', at('/info'), () => answerJson(info(state))),
    route('POST', at('/clock'), (request) => advanceClock(state, request)),
    route('POST', at('/scenario'), async (request) => {
      const { steps } = await jsonObject<{ steps?: string }>(request);
      if (typeof steps !== 'string')
        return answerJson({ error: 'send {"steps": "<step>,<step>,…"} (e.g. "429,ok")' }, { status: 400 });
      try {
        state.scenarios.enqueue(steps);
      } catch (err) {
        return answerJson({ error: (err as Error).message }, { status: 400 });
      }
      return answerJson({ queued: steps });
    }),
    route('GET', at('/tasks'), (request) => {
      const params = new URL(request.url).searchParams;
      const page = taskPage(state, params.get('traceId'), params.get('after'), Number(params.get('limit') ?? PAGE));
      return answerJson(
        page.tasks.map((t) => ({
          id: t.id,
          status: statusWord(state, t),
          externalId: t.externalId,
          traceId: t.traceId,
          request: t.request,
          ...(t.droppedFields ? { droppedFields: t.droppedFields } : {}),
          settings: t.settings,
          polls: t.polls,
        })),
        // the next page starts after the last task of this one
        page.next ? { headers: { 'x-mock-next-after': page.next } } : {},
      );
    }),
    route('GET', at('/requests'), (request) => {
      const id = new URL(request.url).searchParams.get('scenarioId');
      return answerJson(
        state.requests.slice(-state.options.requestLogLimit).filter((r) => id === null || r.scenarioId === id),
      );
    }),
    route('GET', at('/callbacks'), async () => {
      await Promise.all([...state.pending]);
      return answerJson(state.callbacks);
    }),
    route('POST', at('/callbacks/test'), () => sendTestEvent(state)),
    route('GET', at('/har'), () =>
      state.recorder
        ? answerJson(state.recorder.har())
        : answerJson({ error: 'this mock is not recording: start it with --record <file.har>' }, { status: 404 }),
    ),
    route('POST', at('/reset'), () => {
      state.tasks.clear();
      state.faults?.reset();
      state.scenarios.reset();
      state.callbacks.length = 0;
      state.outbox.stop();
      state.requests.length = 0;
      return answerJson({ reset: true });
    }),
  ];
}

/** What the mock is, and what it holds within its bounds (it never grows without limit). */
function info(state: MockState) {
  return {
    provider: state.spec.id,
    claims: state.options.claims,
    now: state.clock.now(),
    completeAfterPolls: state.options.completeAfterPolls,
    counts: {
      tasks: state.tasks.tasks.size,
      tasksEvicted: state.tasks.evicted,
      requestLog: Math.min(state.requests.length, state.options.requestLogLimit),
      scenarioIds: state.scenarios.size,
      callbacks: state.callbacks.length,
      pendingCallbacks: state.outbox.size,
      callbacksAbandoned: state.outbox.abandoned,
    },
    limits: {
      maxTasks: state.options.maxTasks ?? 50_000,
      requestLogLimit: state.options.requestLogLimit,
      scenarioIds: 10_000,
      callbacks: CALLBACK_RECORD_LIMIT,
      pendingCallbacks: state.outbox.max,
    },
  };
}

/** Tasks per /__mock/tasks page (?limit= asks for fewer; ?after=<task id> for the next page). */
const PAGE = 1000;

/** One page of tasks in creation order, optionally only those a trace id created. */
function taskPage(state: MockState, traceId: string | null, after: string | null, limit: number) {
  const size = Number.isInteger(limit) && limit > 0 ? Math.min(limit, PAGE) : PAGE;
  const tasks: MockTask[] = [];
  let started = after === null;
  for (const task of state.tasks.tasks.values()) {
    if (!started) {
      started = task.id === after;
      continue;
    }
    if (traceId !== null && task.traceId !== traceId) continue;
    if (tasks.length === size) return { tasks, next: tasks.at(-1)!.id };
    tasks.push(task);
  }
  return { tasks, next: undefined };
}

const route = (method: string, path: string, handle: MockRoute['handle']): MockRoute => ({ method, path, handle });

/** A control body as an object: `null`, a number, an array or broken JSON read as `{}` (then refused with a 400). */
async function jsonObject<T extends object>(request: Parameters<MockRoute['handle']>[0]): Promise<Partial<T>> {
  const value: unknown = await request.json().catch(() => undefined);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Partial<T>) : {};
}

/** POST /__mock/clock {advanceMs}: virtual time moves on (bounded), and tasks due by then progress */
async function advanceClock(state: MockState, request: MockRequest) {
  const { advanceMs } = await jsonObject<{ advanceMs?: number }>(request);
  // bounded: a clock moved past what Date can hold would break every later answer
  if (
    typeof advanceMs !== 'number' ||
    !Number.isFinite(advanceMs) ||
    advanceMs < 0 ||
    advanceMs > MAX_ADVANCE_MS ||
    !state.clock.advance
  ) {
    return answerJson(
      { error: `send {"advanceMs": <0..${MAX_ADVANCE_MS}>} to a mock on virtual time` },
      { status: 400 },
    );
  }
  state.clock.advance(advanceMs);
  if (state.options.completeAfterMs !== undefined) {
    for (const task of state.tasks.tasks.values())
      if (state.tasks.advance(task, state.clock.now(), progress(state), false)) fireCallback(state, task);
  }
  return answerJson({ now: state.clock.now() });
}
