// A persistent gateway outage (every poll answered 503, the mock's fault plan) leaves auth.poll_missing_key unjudged:
// `--compare-to last --fail-on new` does not list it as newly failing (exit 2 UNJUDGED, never 1 and never 0), and
// `drift --results` lists it as noise that could not be judged, not as drift (exit 2 when nothing else drifted).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { FaultPlan } from '../src/faults/fault-plan.ts';
import { buildResults, type RunResults } from '../src/report/build-results.ts';
import { compareRuns, renderChanges } from '../src/report/compare-runs.ts';
import { toHistoryLine } from '../src/report/history-line.ts';
import { exitCode } from '../src/cli/commands/run-action.ts';
import { reportDrift } from '../src/cli/commands/drift-action.ts';
import { liveContext, runOneCheck, startGatewayWithFaults } from './support/live-gateway.ts';
import { tempFolder } from './support/temp-folder.ts';

const P = 'evolink-kling-v3-t2v';
const CHECK = 'auth.poll_missing_key';
const KEY = 'sk-outage-test-key';
const dir = tempFolder('kc-outage-');

/** The check judged against EvoLink's mock served as a live gateway, under a fault plan (none: a clean night). */
async function night(id: string, faults?: FaultPlan): Promise<RunResults> {
  const gateway = await startGatewayWithFaults(KEY, faults);
  const ctx = { ...liveContext(gateway), sleep: () => Promise.resolve() };
  const result: CheckResult = await runOneCheck(ctx, CHECK);
  const run = {
    id,
    target: 'live' as const,
    providers: [{ id: P, baseUrl: gateway.url }],
    seed: 1,
    startedAt: new Date().toISOString(),
    endedAt: new Date().toISOString(),
    allowPaid: false,
    client: 'reference',
  };
  return buildResults(run, [result], '0.0.0');
}

/** The newcomer's plan: 40 polls in a row answered 503. */
const outage: FaultPlan = {
  name: 'outage',
  seed: 1,
  faults: Array.from({ length: 40 }, (_, i) => ({ id: `poll-${i + 1}`, operation: 'poll', at: i + 1, step: '503' })),
};

describe('a persistent outage (every poll 503)', () => {
  it('is not "newly failing" and is not drift; --fail-on new exits 2 (UNJUDGED), drift --results 2', async () => {
    const clean = await night('clean');
    expect(clean.results[0]!.status, clean.results[0]!.message).toBe('pass');
    const down = await night('down', outage);
    const r = down.results[0]!;
    expect(r.status, r.message).toBe('error');
    expect(r.message).toContain('503');

    const before = toHistoryLine(clean, 'r1');
    const changes = compareRuns(down, before, [before]);
    expect(changes.newlyFailing).toEqual([]);
    expect(changes.unjudged).toEqual([`${P} ${CHECK}`]);
    expect(renderChanges(changes)).toMatch(
      /could not be judged \(1; .*\): `evolink-kling-v3-t2v auth\.poll_missing_key`/,
    );
    expect(renderChanges(changes)).toContain('newly failing (0)');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(exitCode({ failOn: 'new' }, down, changes)).toBe(2);
      expect(String(stderr.mock.calls.at(-1)?.[0])).toMatch(
        /UNJUDGED: nothing newly fails, but 1 check\(s\) could not/,
      );
    } finally {
      stderr.mockRestore();
    }
    // the night after, the gateway back and the check passing: nothing "fixed", nothing flaky
    const after = compareRuns(clean, toHistoryLine(down, 'r2'), [before, toHistoryLine(down, 'r2')]);
    expect([after.newlyFailing, after.fixed, after.flaky, after.unjudged]).toEqual([[], [], [], []]);

    const file = join(dir, 'results.json');
    writeFileSync(file, JSON.stringify(down));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await reportDrift(new Command(), { results: [file], format: 'md' })).toBe(2);
      const md = String(log.mock.calls.at(-1)?.[0]);
      expect(md).not.toContain('was not refused');
      expect(md).toContain('## Could not be judged: gateway noise (1; not drift)');
      expect(md).toMatch(/- evolink-kling-v3-t2v · auth\.poll_missing_key: transient: .*503/);
    } finally {
      log.mockRestore();
    }
  }, 60_000);
});
