// The series `drift --history` compares: per provider and target, one night per run or per sharded night (the merged
// line where there is one, else each shard once), in time order, cut to the window.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/support/temp-folder.ts';
import type { HistoryRun } from './history-runs.ts';
import { historySeries } from './history-series.ts';
import { locateReportDir } from './load-night.ts';

let n = 0;
const line = (day: string, over: Partial<HistoryRun> = {}): HistoryRun => ({
  line: ++n,
  id: `r${n}`,
  startedAt: `2026-11-${day}T02:00:00Z`,
  target: 'live',
  providers: ['a', 'b'],
  reportDir: `/reports/${n}`,
  ...over,
});

describe('historySeries', () => {
  it('one series per provider and target, oldest night first, cut by --since and --last', () => {
    const runs = [line('03'), line('01'), line('02', { target: 'mock' }), line('02', { providers: ['b'] })];
    const series = historySeries(runs, {});
    expect(series.map((s) => [s.provider, s.target, s.nights.map((x) => x.startedAt.slice(8, 10))])).toEqual([
      ['a', 'live', ['01', '03']],
      ['a', 'mock', ['02']],
      ['b', 'live', ['01', '02', '03']],
      ['b', 'mock', ['02']],
    ]);
    const window = historySeries(runs, { providers: ['b'], since: '2026-11-01T12:00:00Z', last: 2 });
    expect(window.map((s) => [s.target, s.nights.map((x) => x.id)])).toEqual([
      ['live', ['r4', 'r1']],
      ['mock', ['r3']],
    ]);
  });

  it('a sharded night is one night: the merged line, else each shard once, and the shards it lacks', () => {
    const shard = (part: string, over: Partial<HistoryRun> = {}) =>
      line('05', { shard: { runId: 'night-5', parts: [part] }, ...over });
    const merged = line('05', { shard: { runId: 'night-5', parts: ['1/2', '2/2'] } });
    const [whole] = historySeries([shard('1/2'), shard('2/2'), merged], { providers: ['a'] });
    expect(whole!.nights).toHaveLength(1);
    expect(whole!.nights[0]!.runs).toEqual([merged]);
    expect(whole!.nights[0]!.id).toBe('night-5');
    const [parts] = historySeries([shard('1/3'), shard('2/3'), shard('1/3')], { providers: ['a'] });
    expect(parts!.nights[0]!.runs.map((r) => r.shard!.parts)).toEqual([['1/3'], ['2/3']]);
    expect(parts!.nights[0]!.missingParts).toEqual(['3/3']);
  });
});

describe('locateReportDir', () => {
  it('where the line says, else beside the history file, else nowhere', () => {
    const root = tempFolder('kc-locate-');
    mkdirSync(join(root, 'night-1'));
    const history = join(root, 'history.jsonl');
    expect(locateReportDir(join(root, 'night-1'), history)).toBe(join(root, 'night-1'));
    expect(locateReportDir('/gone/ci-runner/reports/night-1', history)).toBe(join(root, 'night-1'));
    expect(locateReportDir('night-1', history)).toBe(join(root, 'night-1'));
    expect(locateReportDir('/gone/night-2', history)).toBeUndefined();
  });
});
