// vitest failing under the runner — its run or its close rejecting, as a fork pool does when a worker's IPC channel
// closed (ERR_IPC_CHANNEL_CLOSED) — is a reason the run ended, never an exception: the exception left the CLI with
// no results.json. The pairs that did not come back are `error` with that reason, and the run is incomplete (exit 2).
import { describe, expect, it } from 'vitest';
import type { Vitest } from 'vitest/node';
import type { CheckResult } from '../checks/types.ts';
import type { PlannedCheck } from './plan-run.ts';
import { reconcile } from './run-conformance.ts';
import { RunWatchdog, suitesWithin } from './run-watchdog.ts';

const channelClosed = () => Object.assign(new Error('Channel closed'), { code: 'ERR_IPC_CHANNEL_CLOSED' });
const plan: PlannedCheck[] = ['auth.missing_key', 'retry.500.retries'].map((id) => ({
  provider: 'evolink-kling-v3-t2v',
  id,
  family: id.split('.')[0]!,
  title: id,
  paid: false,
}));
const came: CheckResult = { ...plan[0]!, status: 'pass', message: 'ok', durationMs: 1 } as CheckResult;

describe('vitest failing under the runner', () => {
  it('its run rejecting (an IPC channel closed): the run stops with the reason, pairs missing are errors', async () => {
    const watchdog = new RunWatchdog(Number.POSITIVE_INFINITY);
    const stopped = await suitesWithin(Promise.reject(channelClosed()), watchdog);
    expect(stopped).toEqual({ kind: 'vitest-error', message: 'vitest failed: ERR_IPC_CHANNEL_CLOSED Channel closed' });
    const { results, incomplete } = reconcile(plan, { results: [came], problems: [] }, undefined, stopped);
    expect(results.map((r) => r.status)).toEqual(['pass', 'error']);
    expect(results[1]!.message).toBe('no result came back: vitest failed: ERR_IPC_CHANNEL_CLOSED Channel closed');
    expect(incomplete).toEqual({ missing: 1, problems: ['vitest failed: ERR_IPC_CHANNEL_CLOSED Channel closed'] });
  });

  it('its close rejecting after the run: why pairs are missing; with none missing, the run is whole', async () => {
    const vitest = { close: () => Promise.reject(channelClosed()) } as unknown as Vitest;
    const stopped = await suitesWithin(Promise.resolve(vitest), new RunWatchdog(Number.POSITIVE_INFINITY));
    expect(stopped).toMatchObject({ kind: 'vitest-error', closing: true });
    const partial = reconcile(plan, { results: [came], problems: [] }, undefined, stopped);
    expect(partial.results[1]!.message).toMatch(/no result came back: vitest could not close: ERR_IPC_CHANNEL/);
    expect(partial.incomplete?.missing).toBe(1);
    const all = plan.map((p) => ({ ...came, ...p }));
    expect(reconcile(plan, { results: all, problems: [] }, undefined, stopped).incomplete).toBeUndefined();
  });
});
