// Shared by test/live-*.test.ts: a loopback gateway built from EvoLink's documents (the faithful mock behind one
// deviation) and the live-target context every check is run with against it (paid checks allowed, polls at once).
import { afterAll } from 'vitest';
import { runCheck } from '../../src/checks/engine.ts';
import { checksFor } from '../../src/checks/registry.ts';
import type { CheckContext, CheckResult } from '../../src/checks/types.ts';
import { VirtualClock } from '../../src/core/clock.ts';
import { loadSpecById } from '../../src/spec/load-spec.ts';
import type { ProviderSpec } from '../../src/spec/model.ts';
import type { FaultPlan } from '../../src/faults/fault-plan.ts';
import { createCheckContext, type ContextOptions } from '../../src/worker/create-context.ts';
import { startDeviatingMock, type Deviation } from './deviating-mock.ts';

const closers: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(closers.map((c) => c())));

export interface LiveGateway {
  spec: ProviderSpec;
  url: string;
  key: string;
  /** the gateway's time (task progress, link lifetimes): the checks' waits move it, nobody sleeps */
  clock: VirtualClock;
}

/** A gateway on a loopback port answering `key`, faithful to the spec except for `deviation`; closed after the file. */
export async function startLiveGateway(
  key: string,
  deviation: Deviation = {},
  provider = 'evolink-kling-v3-t2v',
): Promise<LiveGateway> {
  const spec = await loadSpecById(provider);
  const clock = new VirtualClock(Date.now());
  const gateway = await startDeviatingMock(spec, { clock, validKeys: [key] }, deviation);
  closers.push(gateway.close);
  return { spec, url: gateway.url, key, clock };
}

/** The faithful gateway behind the mock's fault plan (`--faults`): the scripted answers, nothing else changed. */
export async function startGatewayWithFaults(
  key: string,
  faults: FaultPlan | undefined,
  provider = 'evolink-kling-v3-t2v',
): Promise<LiveGateway> {
  const spec = await loadSpecById(provider);
  const clock = new VirtualClock(Date.now());
  const gateway = await startDeviatingMock(spec, { clock, validKeys: [key], ...(faults ? { faults } : {}) }, {});
  closers.push(gateway.close);
  return { spec, url: gateway.url, key, clock };
}

/**
 * The context a live run hands the checks for this gateway (paid checks allowed, no wait between polls); a probe
 * that waits across the run (a result link fetched again later) waits on the gateway's clock, which moves at once.
 */
export function liveContext(gateway: LiveGateway, options: Partial<ContextOptions> = {}): CheckContext {
  return createCheckContext(gateway.spec, {
    target: 'live',
    baseUrl: gateway.url,
    apiKey: gateway.key,
    allowPaid: true,
    pollIntervalMs: 1,
    timeoutSeconds: 60,
    clock: { now: () => gateway.clock.now(), sleep: async (ms) => gateway.clock.advance(ms) },
    ...options,
  });
}

/** Every check of the provider, one after another, as a run would. */
export async function runEveryCheck(ctx: CheckContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const def of checksFor(ctx.spec)) results.push(await runCheck(def, ctx));
  return results;
}

/** One check by id. */
export function runOneCheck(ctx: CheckContext, id: string): Promise<CheckResult> {
  const def = checksFor(ctx.spec).find((c) => c.id === id);
  if (!def) throw new Error(`${ctx.spec.id} has no check ${id}`);
  return runCheck(def, ctx);
}
