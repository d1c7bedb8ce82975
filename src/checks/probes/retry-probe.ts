import { VirtualClock } from '../../core/clock.ts';
import type { CheckContext } from '../types.ts';
import { exampleBody } from './request-bodies.ts';

/** What a client did against a scripted fault sequence, seen from both sides. */
export interface RetryObservation {
  scenario: string;
  client: string;
  finalStatus?: number;
  error?: string;
  /** the waits the client asked for, in order (virtual time: nobody slept) */
  sleeps: number[];
  /** requests the mock received for this scenario */
  attempts: number;
  /** tasks the mock holds for this scenario (a retried POST may have made two) */
  tasksCreated: number;
  idempotencyKeyDocumented: boolean;
}

/** Mock only: drives the client adapter through `scenario` (e.g. "429,429,ok") on a virtual clock. */
export function observeRetries(ctx: CheckContext, scenario: string): Promise<RetryObservation> {
  return ctx.probes.get(`retry:${scenario}`, async () => {
    const id = `${ctx.runId}:${ctx.spec.id}:retry:${scenario}`;
    const clock = new VirtualClock(0, { autoAdvance: true });
    let seed = 0.5;
    const result = await ctx.adapter.create(
      { spec: ctx.spec, baseUrl: ctx.baseUrl, apiKey: ctx.apiKey, body: exampleBody(ctx.spec), headers: { 'x-mock-scenario': scenario, 'x-mock-scenario-id': id } },
      { sleep: (ms) => clock.sleep(ms), random: () => (seed = (seed * 9301 + 0.49297) % 1) },
    );
    const attempts = (await ctx.mock!.requests(id)).filter((r) => r.operation === 'create').length;
    const tasksCreated = (await ctx.mock!.tasks(id)).length;
    return { scenario, client: ctx.adapter.name, finalStatus: result.status, error: result.error, sleeps: [...clock.sleeps], attempts, tasksCreated, idempotencyKeyDocumented: Boolean(ctx.spec.x.idempotency) };
  });
}
