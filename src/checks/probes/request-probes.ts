import { randomBytes } from 'node:crypto';
import type { CheckContext } from '../types.ts';
import type { RequestExtras } from '../../client/gateway-client.ts';
import { summarise, type ExchangeSummary } from './exchange-summary.ts';
import { trace } from './task-probe.ts';
import { exampleBody } from './request-bodies.ts';

/** A single create and its aftermath: did the provider create a task for it (where that can be seen)? */
export interface RequestObservation {
  sent: unknown;
  response: ExchangeSummary;
  /** tasks the request created: counted on mocks; undefined where no API can tell (live) */
  tasksCreated?: number;
  /** mock only: the body pointers the mock rejected the request for (its own diagnostics) */
  rejectedFor?: string[];
}

/** Sends a create (memoised by name) and, on a mock, counts the tasks it created. */
export function observeCreate(
  ctx: CheckContext,
  name: string,
  body: unknown,
  extra: Pick<RequestExtras, 'apiKey' | 'auth' | 'headers'> & { spendAs?: string } = {},
): Promise<RequestObservation> {
  return ctx.probes.get(`create:${name}`, async () => {
    const headers = { ...trace(ctx, name), ...extra.headers };
    const response = summarise(
      await ctx.client.createTask(body, {
        apiKey: extra.apiKey,
        auth: extra.auth,
        headers,
        retry: false,
        // a create a check expects to be refused: billed only if the gateway wrongly accepts it
        spendAs: extra.spendAs ?? 'risky',
      }),
    );
    const id = headers['x-mock-scenario-id']!;
    const tasksCreated = ctx.mock ? (await ctx.mock.tasks(id)).length : undefined;
    const rejectedFor = ctx.mock
      ? (await ctx.mock.requests(id)).flatMap((r) => r.rejectedFor?.map((d) => d.pointer) ?? [])
      : undefined;
    return { sent: body, response, tasksCreated, ...(rejectedFor?.length ? { rejectedFor } : {}) };
  });
}

/**
 * The check whose request a live run's route probe is (src/run/check-create-route.ts): the documented example sent
 * without a key. The probe's answer is handed to every worker and stands as this check's observation (and as that of
 * any check that reads the same no-key create), so a run sends that create once.
 */
export const NO_KEY_CREATE = 'auth.missing_key';

/** Makes an answer already had (the route probe's) the no-key create's observation: it is not sent again. */
export function seedNoKeyCreate(ctx: CheckContext, response: ExchangeSummary): void {
  void ctx.probes.get(`create:${NO_KEY_CREATE}`, () => Promise.resolve({ sent: exampleBody(ctx.spec), response }));
}

/** Polls a task id that was never issued. */
export function observeUnknownTask(ctx: CheckContext): Promise<ExchangeSummary> {
  return ctx.probes.get('unknown-task', async () =>
    summarise(await ctx.client.getTask(`${ctx.spec.x.responses.taskIdPrefix}kc${randomBytes(6).toString('hex')}`)),
  );
}

/** Mock only: a create answered by a scripted fault (`x-mock-scenario: <status>`), without retries. */
export function observeFault(ctx: CheckContext, status: number): Promise<ExchangeSummary> {
  return ctx.probes.get(`fault:${status}`, async () => {
    const id = `${ctx.runId}:${ctx.spec.id}:fault-${status}`;
    return summarise(
      await ctx.client.createTask(ctx.spec.create.examples[0]?.value ?? {}, {
        headers: { 'x-mock-scenario': String(status), 'x-mock-scenario-id': id },
        retry: false,
      }),
    );
  });
}

/** Mock only: a task scripted to fail, polled to its end, for the failed-status shape. */
export function observeFailedTask(ctx: CheckContext): Promise<ExchangeSummary[]> {
  return ctx.probes.get('failed-task', async () => {
    const id = `${ctx.runId}:${ctx.spec.id}:failed-task`;
    const created = await ctx.client.createTask(ctx.spec.create.examples[0]?.value ?? {}, {
      headers: { 'x-mock-scenario': 'fail', 'x-mock-scenario-id': id },
    });
    const taskId = ctx.client.taskIdOf(created);
    return taskId
      ? (await ctx.client.waitForTask(taskId, { maxPolls: 20, intervalMs: 0 })).map(summarise)
      : [summarise(created)];
  });
}
