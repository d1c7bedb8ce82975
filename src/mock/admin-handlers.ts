import type { MockState } from './mock-state.ts';
import { answerJson, type MockRoute } from './mock-route.ts';
import { fireCallback, progress } from './task-operation-handler.ts';
import { statusWord } from './task-view.ts';

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
    route('GET', at('/info'), () =>
      answerJson({
        provider: state.spec.id,
        claims: state.options.claims,
        now: state.clock.now(),
        completeAfterPolls: state.options.completeAfterPolls,
        // what the mock holds, and its bounds (it never grows without limit)
        counts: {
          tasks: state.tasks.tasks.size,
          tasksEvicted: state.tasks.evicted,
          requestLog: Math.min(state.requests.length, state.options.requestLogLimit),
          scenarioIds: state.scenarios.size,
          callbacks: state.callbacks.length,
        },
        limits: {
          maxTasks: state.options.maxTasks ?? 50_000,
          requestLogLimit: state.options.requestLogLimit,
          scenarioIds: 10_000,
          callbacks: 1000,
        },
      }),
    ),
    route('POST', at('/clock'), async (request) => {
      const { advanceMs } = (await request.json().catch(() => ({}))) as { advanceMs?: number };
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
    }),
    route('POST', at('/scenario'), async (request) => {
      const { steps } = (await request.json().catch(() => ({}))) as { steps?: string };
      try {
        state.scenarios.enqueue(String(steps ?? ''));
      } catch (err) {
        return answerJson({ error: (err as Error).message }, { status: 400 });
      }
      return answerJson({ queued: steps });
    }),
    route('GET', at('/tasks'), (request) => {
      const trace = new URL(request.url).searchParams.get('traceId');
      const tasks = [...state.tasks.tasks.values()].filter((t) => trace === null || t.traceId === trace);
      return answerJson(
        tasks.map((t) => ({
          id: t.id,
          status: statusWord(state, t),
          externalId: t.externalId,
          traceId: t.traceId,
          request: t.request,
          settings: t.settings,
          polls: t.polls,
        })),
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
      state.requests.length = 0;
      return answerJson({ reset: true });
    }),
  ];
}

const route = (method: string, path: string, handle: MockRoute['handle']): MockRoute => ({ method, path, handle });
