import { http, HttpResponse, type HttpHandler } from 'msw';
import type { MockState } from './mock-state.ts';
import { advanceTask } from './task-store.ts';
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
export function adminHandlers(state: MockState, base: string): HttpHandler[] {
  const at = (path: string) => `${base}${ADMIN_PREFIX}${path}`;
  return [
    http.get(at('/info'), () =>
      HttpResponse.json({
        provider: state.spec.id,
        claims: state.options.claims,
        now: state.clock.now(),
        completeAfterPolls: state.options.completeAfterPolls,
        // what the mock holds, and its bounds (it never grows without limit)
        counts: {
          tasks: state.tasks.tasks.size,
          tasksEvicted: state.tasks.evicted,
          requestLog: state.requests.length,
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
    http.post(at('/clock'), async ({ request }) => {
      const { advanceMs } = (await request.json().catch(() => ({}))) as { advanceMs?: number };
      // bounded: a clock moved past what Date can hold would break every later answer
      if (
        typeof advanceMs !== 'number' ||
        !Number.isFinite(advanceMs) ||
        advanceMs < 0 ||
        advanceMs > MAX_ADVANCE_MS ||
        !state.clock.advance
      ) {
        return HttpResponse.json(
          { error: `send {"advanceMs": <0..${MAX_ADVANCE_MS}>} to a mock on virtual time` },
          { status: 400 },
        );
      }
      state.clock.advance(advanceMs);
      if (state.options.completeAfterMs !== undefined) {
        for (const task of state.tasks.tasks.values())
          if (advanceTask(task, state.clock.now(), progress(state), false)) fireCallback(state, task);
      }
      return HttpResponse.json({ now: state.clock.now() });
    }),
    http.post(at('/scenario'), async ({ request }) => {
      const { steps } = (await request.json().catch(() => ({}))) as { steps?: string };
      try {
        state.scenarios.enqueue(String(steps ?? ''));
      } catch (err) {
        return HttpResponse.json({ error: (err as Error).message }, { status: 400 });
      }
      return HttpResponse.json({ queued: steps });
    }),
    http.get(at('/tasks'), ({ request }) => {
      const trace = new URL(request.url).searchParams.get('traceId');
      const tasks = [...state.tasks.tasks.values()].filter((t) => trace === null || t.traceId === trace);
      return HttpResponse.json(
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
    http.get(at('/requests'), ({ request }) => {
      const id = new URL(request.url).searchParams.get('scenarioId');
      return HttpResponse.json(state.requests.filter((r) => id === null || r.scenarioId === id));
    }),
    http.get(at('/callbacks'), async () => {
      await Promise.all([...state.pending]);
      return HttpResponse.json(state.callbacks);
    }),
    http.post(at('/reset'), () => {
      state.tasks.clear();
      state.scenarios.reset();
      state.callbacks.length = 0;
      state.requests.length = 0;
      return HttpResponse.json({ reset: true });
    }),
  ];
}
