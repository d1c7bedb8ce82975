// Noise that cleared on retry is shown where people look: a gateway (EvoLink's mock behind a fault plan: the first
// create 429, the first poll 500, the second 429) whose checks all end as passes still shows its 429/5xx per provider,
// operation and answer in summary.md, report.html, junit.xml, results.json and `history`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/engine.ts';
import { checksFor } from '../src/checks/registry.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { FaultPlan } from '../src/faults/fault-plan.ts';
import { buildResults, type RunResults } from '../src/report/build-results.ts';
import { toHistoryLine } from '../src/report/history-line.ts';
import { renderHistoryMarkdown } from '../src/report/history-markdown.ts';
import { historyStats } from '../src/report/history-stats.ts';
import { writeReport } from '../src/report/write-report.ts';
import { tempFolder } from './support/temp-folder.ts';
import { liveContext, startGatewayWithFaults } from './support/live-gateway.ts';

const P = 'evolink-kling-v3-t2v';
const KEY = 'sk-noise-report-key';
const dir = tempFolder('kc-noise-reports-');

const FOLLOWERS = ['shape.create', 'lifecycle.vocabulary', 'lifecycle.transitions', 'lifecycle.terminal'];
const plan: FaultPlan = {
  name: 'newcomer-8',
  seed: 1,
  faults: [
    { id: 'c1', operation: 'create', at: 1, step: '429' },
    { id: 'p1', operation: 'poll', at: 1, step: '500' },
    { id: 'p2', operation: 'poll', at: 2, step: '429' },
  ],
};

/** The checks that follow the default task (its create, its polls), judged behind the fault plan. */
async function noisyRun(): Promise<RunResults> {
  const gateway = await startGatewayWithFaults(KEY, plan);
  const ctx = { ...liveContext(gateway), sleep: () => Promise.resolve() };
  const results: CheckResult[] = [];
  for (const def of checksFor(gateway.spec).filter((d) => FOLLOWERS.includes(d.id)))
    results.push(await runCheck(def, ctx));
  const at = new Date().toISOString();
  return buildResults(
    {
      id: 'noisy',
      target: 'live',
      providers: [{ id: P, baseUrl: gateway.url }],
      seed: 1,
      startedAt: at,
      endedAt: at,
      allowPaid: true,
      client: 'reference',
    },
    results,
    '0.0.0',
  );
}

describe('gateway noise that cleared on retry', () => {
  it('is counted per provider, operation and answer in every report and in history', async () => {
    const run = await noisyRun();
    expect(run.summary.fail + run.summary.error, JSON.stringify(run.results.map((r) => r.message))).toBe(0);
    const rows = run.summary.noise ?? [];
    expect(rows).toContainEqual({ provider: P, operation: 'create', answer: '429', met: 1, outlasted: 0 });
    expect(rows).toContainEqual({ provider: P, operation: 'poll', answer: '500', met: 1, outlasted: 0 });

    writeReport(join(dir, 'r'), run);
    const summary = readFileSync(join(dir, 'r', 'summary.md'), 'utf8');
    expect(summary).toMatch(/## Gateway noise: \d+ answer\(s\) 429\/5xx\/timeout\/reset met/);
    expect(summary).toMatch(new RegExp(`\\| ${P} +\\| create +\\| 429 +\\| 1 +\\| 1 +\\| 0 +\\|`));
    expect(readFileSync(join(dir, 'r', 'report.html'), 'utf8')).toMatch(
      /gateway noise, evolink-kling-v3-t2v: .*create 429 ×1/,
    );
    expect(readFileSync(join(dir, 'r', 'junit.xml'), 'utf8')).toMatch(/<system-out>gateway noise: .*poll 500 ×1/);

    const line = toHistoryLine(run, 'r');
    expect(line.noise?.[P]).toMatchObject({ 'create 429': 1, 'poll 500': 1 });
    // every check that met noise and passed is a flake in the history (not only the ones the engine tried again)
    const noisy = run.results.filter((r) => r.noise?.length).map((r) => `${r.provider} ${r.id}`);
    expect(noisy.length).toBeGreaterThan(1);
    for (const key of noisy) expect(line.checks?.[key]?.transient, key).toBe('flake');
    const md = renderHistoryMarkdown(historyStats([line], Date.now()));
    expect(md).toMatch(/## Gateway noise per run \(.*; 1 runs\)/);
    expect(md).toMatch(new RegExp(`\\| noisy +\\| \\S+ +\\| live +\\| ${P} +\\| .*create 429 ×1`));
    expect(md).toContain(`## Transient: 429, 5xx, timeouts, resets (${noisy.length})`);
  }, 60_000);
});
