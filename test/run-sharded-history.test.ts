// A sharded night's history, end to end against a loopback gateway (EvoLink's mock served as a live target): two
// shards given one --run-id append their lines to one history, and the next night's plan banks what the night truly
// left (its budget once, less both shards' spend) — as it does from `merge --history`'s one line — and `history`
// shows the night as one run (a night lacking a shard as incomplete).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.ts';
import type { HistoryLine } from '../src/report/history-line.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { startDeviatingMock } from './support/deviating-mock.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-sharded-history-0123456789abcdef';
const P = 'evolink-kling-v3-t2v';
const dir = tempFolder('kc-sharded-history-');
let gateway: Awaited<ReturnType<typeof startDeviatingMock>>;
beforeAll(async () => {
  gateway = await startDeviatingMock(
    await loadSpecById(P),
    {
      clock: new VirtualClock(Date.now()),
      validKeys: [KEY],
    },
    {},
  );
});
afterAll(() => gateway.close());

// a paid pick in each shard's files: the default generation (task.suite, 2/2) and accepted boundary cases (1/2)
const paid = ['--family', 'defaults', '--family', 'boundary', '--allow-paid', '--budget', `${P}=1USD`];
const run = (args: string[]) =>
  runCli([...liveRunArgs(P, gateway.url, 'KC_SH_KEY'), '--poll-interval', '1', '--quiet', ...paid, ...args], {
    env: { KC_SH_KEY: KEY },
    timeoutMs: 600_000,
  });
const spentOf = (report: string) =>
  (JSON.parse(readFileSync(join(report, 'results.json'), 'utf8')) as { run: { spend: { plan: { spent: number }[] } } })
    .run.spend.plan[0]!.spent;
const tonight = async (history: string) => {
  const r = await run(['--history', history, '--dry-run', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { nights: { night: number; banked?: number; bankNotes?: string[] }[] }).nights[0]!;
};

/** `history` over a file: its JSON (runs, the one sharded night) and its Markdown. */
const historyOf = async (file: string) => {
  const json = await runCli(['history', '--history', file, '--format', 'json']);
  const md = await runCli(['history', '--history', file]);
  expect(json.code, json.stderr).toBe(0);
  expect(md.code, md.stderr).toBe(0);
  const stats = JSON.parse(json.stdout) as {
    window: { runs: number };
    shardedNights: { paid: Record<string, { budget: number; spent: number; banks: number }> }[];
  };
  expect(stats.shardedNights).toHaveLength(1);
  return { runs: stats.window.runs, night: stats.shardedNights[0]!, md: md.stdout };
};

describe('a sharded night in the history', () => {
  it("the next night banks what both shards left of the night's budget, from their lines or merge's one", async () => {
    const history = join(dir, 'history.jsonl');
    const shards = await Promise.all(
      ['1/2', '2/2'].map((shard, i) =>
        run(['--shard', shard, '--run-id', 'night-1', '--history', history, '--report-dir', join(dir, `s${i + 1}`)]),
      ),
    );
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    const spent = [spentOf(join(dir, 's1')), spentOf(join(dir, 's2'))];
    // the premise: both shards spent (each has a paid pick in its files)
    expect(spent.every((s) => s > 0)).toBe(true);
    const lines = readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as HistoryLine);
    expect(lines.map((l) => l.shard).sort((a, b) => a!.parts[0]!.localeCompare(b!.parts[0]!))).toEqual([
      { runId: 'night-1', parts: ['1/2'] },
      { runId: 'night-1', parts: ['2/2'] },
    ]);
    const left = Math.round((1 - spent[0]! - spent[1]!) * 10000) / 10000;
    expect(await tonight(history)).toMatchObject({ night: 2, banked: left });
    // `history` shows the two lines as one night: both shards, the spend added up, the budget once, what it banks
    const shown = await historyOf(history);
    expect(shown.runs).toBe(1);
    expect(shown.night).toMatchObject({ id: 'night-1', parts: ['1/2', '2/2'], of: 2, missing: [] });
    expect(shown.night.paid[P]).toMatchObject({ budget: 1, banks: left });
    expect(shown.night.paid[P]!.spent).toBeCloseTo(spent[0]! + spent[1]!, 4);
    expect(shown.md).toMatch(/\| night-1 \| \S+ \| 2 of 2 \| /);

    // the team that merges instead: one line for the night, the same bank
    const merged = join(dir, 'merged.jsonl');
    const m = await runCli([
      'merge',
      join(dir, 's1'),
      join(dir, 's2'),
      '--report-dir',
      join(dir, 'm'),
      '--quiet',
      '--history',
      merged,
    ]);
    expect(m.code, m.stderr).toBe(0);
    expect(readFileSync(merged, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(await tonight(merged)).toMatchObject({ night: 2, banked: left });

    // a history holding one shard of the night: that night banks nothing, and the plan says why
    const one = join(dir, 'one.jsonl');
    writeFileSync(one, `${JSON.stringify(lines.find((l) => l.shard?.parts[0] === '1/2'))}\n`);
    expect(await tonight(one)).toMatchObject({
      night: 2,
      banked: 0,
      bankNotes: ['night 1 (run night-1): shard 2/2 not in the history, counted as having left nothing unspent'],
    });
    // and `history` marks that night incomplete, banking nothing
    const partial = await historyOf(one);
    expect(partial.night).toMatchObject({ id: 'night-1', missing: ['2/2'], paid: { [P]: { banks: 0 } } });
    expect(partial.md).toContain('| 1 of 2, missing 2/2 |');
    expect(partial.md).toContain('**incomplete** (shard 2/2 not in the history): banks nothing');
    // without --run-id a paid shard is refused before anything is sent
    const bare = await run(['--shard', '1/2', '--history', join(dir, 'bare.jsonl'), '--report-dir', join(dir, 'b')]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--shard with --allow-paid on a live run needs --run-id');
  }, 600_000);
});
