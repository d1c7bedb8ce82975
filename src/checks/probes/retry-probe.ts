import { VirtualClock } from '../../core/clock.ts';
import { dedupeKey } from '../../spec/dedupe-key.ts';
import type { ClientAdapter } from '../../client/client-adapter.ts';
import type { CheckContext } from '../types.ts';
import { exampleBody } from './request-bodies.ts';

/** The virtual clock a judged client starts on: whole seconds, so an HTTP-date Retry-After is exact. */
export const RETRY_EPOCH_MS = Date.UTC(2026, 0, 1);
/** A judged client that has not returned after this much real time is reported as hanging. */
const CLIENT_DEADLINE_MS = 20_000;

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
  /** each of those requests named, in order: "POST <url> → 429 (attempt 1)" (what the client's retry loop met) */
  answers: string[];
  /** tasks the mock holds for this scenario (a retried POST may have made two) */
  tasksCreated: number;
  idempotencyKeyDocumented: boolean;
  /** the jitter draw (env.random) the client was given */
  random: number | 'sequence';
}

export interface RetryProbeOptions {
  /** pin env.random to this value (default: a fixed pseudo-random sequence) */
  random?: number;
  /** judge this client instead of the run's (e.g. the advice followed literally) */
  adapter?: ClientAdapter;
}

/** Mock only: drives a client adapter through `scenario` (e.g. "429,429,ok") on a virtual clock. */
export function observeRetries(
  ctx: CheckContext,
  scenario: string,
  options: RetryProbeOptions = {},
): Promise<RetryObservation> {
  const adapter = options.adapter ?? ctx.adapter;
  const tag = `${adapter.name}|${options.random ?? 'seq'}`;
  return ctx.probes.get(`retry:${scenario}:${tag}`, async () => {
    const id = `${ctx.runId}:${ctx.spec.id}:retry:${scenario}:${tag}`;
    const clock = new VirtualClock(RETRY_EPOCH_MS, { autoAdvance: true });
    let seed = 0.5;
    const random = options.random !== undefined ? () => options.random! : () => (seed = (seed * 9301 + 0.49297) % 1);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<{ error: string }>(
      (resolve) =>
        (timer = setTimeout(
          () => resolve({ error: `the client did not return within ${CLIENT_DEADLINE_MS / 1000} s` }),
          CLIENT_DEADLINE_MS,
        )),
    );
    const result = await Promise.race([
      adapter
        .create(
          {
            spec: ctx.spec,
            baseUrl: ctx.baseUrl,
            apiKey: ctx.apiKey,
            secretKey: ctx.secretKey,
            body: exampleBody(ctx.spec),
            headers: { 'x-mock-scenario': scenario, 'x-mock-scenario-id': id },
          },
          { sleep: (ms) => clock.sleep(ms), now: () => clock.now(), random },
        )
        .catch((err: unknown) => ({
          status: undefined,
          error: `the client threw: ${(err as Error)?.message ?? String(err)}`,
        })),
      deadline,
    ]).finally(() => clearTimeout(timer));
    const creates = (await ctx.mock!.requests(id)).filter((r) => r.operation === 'create');
    const url = ctx.baseUrl.replace(/\/$/, '') + ctx.spec.create.path;
    const answers = creates.map((r, i) => `POST ${url} → ${r.status} (attempt ${i + 1})`);
    const tasksCreated = (await ctx.mock!.tasks(id)).length;
    return {
      scenario,
      client: adapter.name,
      finalStatus: 'status' in result ? result.status : undefined,
      error: result.error,
      sleeps: [...clock.sleeps],
      attempts: creates.length,
      answers,
      tasksCreated,
      idempotencyKeyDocumented: dedupeKey(ctx.spec) !== undefined,
      random: options.random ?? 'sequence',
    };
  });
}
