// The dashboard's data from a month of nightly runs (fixtures/history/30-nights.jsonl): what the page will show,
// checked without a browser — the matrix, the details behind each non-passing cell, the charts' series and points,
// and the run-to-run changes (a regression, a fix, transient blips, a price change).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { thirtyNights } from '../../fixtures/history/make-30-nights.ts';
import type { HistoryLine } from './history-line.ts';
import { historyStats } from './history-stats.ts';
import { historyDashboard } from './history-dashboard.ts';
import { runSteps } from './run-steps.ts';

const FIXTURE = new URL('../../fixtures/history/30-nights.jsonl', import.meta.url);
const lines = (): HistoryLine[] =>
  readFileSync(FIXTURE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as HistoryLine);

describe('the 30-night fixture', () => {
  it('is what its generator writes (regenerate with node --import tsx fixtures/history/make-30-nights.ts)', () => {
    expect(readFileSync(FIXTURE, 'utf8')).toBe(
      `${thirtyNights()
        .map((l) => JSON.stringify(l))
        .join('\n')}\n`,
    );
  });
});

describe('historyDashboard', () => {
  const model = historyDashboard(historyStats(lines(), Date.parse('2026-11-26T00:00:00Z')));

  it('has a cell per provider × check, the regression failing with its evidence one click away', () => {
    expect(model.matrix.providers).toHaveLength(5);
    expect(model.matrix.rows).toHaveLength(12);
    const duration = model.matrix.rows.find((r) => r.check === 'defaults.duration')!;
    expect(duration.cells['evolink-kling-v3-t2v']).toMatchObject({ status: 'fail', anchor: expect.any(String) });
    expect(duration.cells['aimanyi-kling-3.0-turbo']).toMatchObject({ status: 'pass', anchor: undefined });
    const detail = model.details.find((d) => d.anchor === duration.cells['evolink-kling-v3-t2v']!.anchor)!;
    expect(detail.lines.join('\n')).toMatch(/default duration is 10 s[\s\S]*since night-22/);
    expect(model.skipped).toEqual([
      {
        reason: expect.stringContaining('no expired condition'),
        cells: expect.arrayContaining(['fal-kling-v3-standard-t2v auth.expired']),
      },
    ]);
  });

  it('charts pass rate, latency per provider and spend per currency, 30 points each', () => {
    expect(model.charts.map((c) => c.id)).toEqual([
      'chart-pass-rate',
      ...[
        'aimanyi-kling-3.0-turbo',
        'apiinone-kling-3',
        'evolink-kling-v3-t2v',
        'fal-kling-v3-standard-t2v',
        'toapis-kling-v3-fast',
      ].map((p) => `chart-latency-${p.replace(/\./g, '_')}`),
      'chart-spend-USD',
      'chart-spend-credits',
    ]);
    for (const c of model.charts) for (const s of c.series) expect(s.values, `${c.id} ${s.label}`).toHaveLength(30);
    const evolink = model.charts[0]!.series.find((s) => s.label === 'evolink-kling-v3-t2v')!.values;
    expect(evolink.slice(0, 21).every((v) => v === 100)).toBe(true);
    expect(evolink.slice(21).every((v) => v! < 100)).toBe(true);
    // fal slows down from night 25: its total time doubles
    const fal = model.charts
      .find((c) => c.id === 'chart-latency-fal-kling-v3-standard-t2v')!
      .series.find((s) => s.label === 'total')!.values as number[];
    expect(Math.min(...fal.slice(24))).toBeGreaterThan(Math.max(...fal.slice(0, 24)) * 0.6);
    // aimanyi's price change shows in the USD spend: nights 20+ cost 0.1 more than nights 13–19
    const usd = model.charts.find((c) => c.id === 'chart-spend-USD')!.series[0]!.values as number[];
    expect(Math.round((usd[19]! - usd[18]!) * 100) / 100).toBe(0.1);
  });

  it('lists the changes between runs, newest first', () => {
    const byId = Object.fromEntries(model.steps.map((s) => [s.id, s.lines.join('; ')]));
    expect(model.steps[0]!.id).toBe('night-27');
    expect(byId['night-22']).toBe('newly failing: evolink-kling-v3-t2v defaults.duration');
    expect(byId['night-20']).toBe("price of aimanyi-kling-3.0-turbo's default task: 0.5 → 0.6 USD");
    expect(byId['night-13']).toMatch(/^fixed: apiinone-kling-3 reject.first_frame; passed on a retry/);
    expect(byId['night-16']).toBe('could not be judged (transient): toapis-kling-v3-fast lifecycle.terminal');
    expect(byId['night-02']).toBeUndefined();
  });
});

describe('a history of one run', () => {
  const model = historyDashboard(historyStats(lines().slice(-1), Date.parse('2026-11-26T00:00:00Z')));

  it('draws each chart over the day around its one point, and says there is no trend yet', () => {
    expect(model.charts.length).toBeGreaterThan(2);
    for (const c of model.charts) {
      expect(c.x, c.id).toHaveLength(1);
      expect(c.xRange, c.id).toEqual([c.x[0]! - 12 * 3600, c.x[0]! + 12 * 3600]);
      expect(c.note, c.id).toBe('one run so far (2026-11-25 02:00 UTC): no trend yet');
    }
  });

  it('leaves a chart of two runs or more to its own range', () => {
    const two = historyDashboard(historyStats(lines().slice(-2), Date.parse('2026-11-26T00:00:00Z')));
    for (const c of two.charts) expect([c.id, c.xRange, c.note]).toEqual([c.id, undefined, undefined]);
  });
});

describe('runSteps', () => {
  const line = (
    id: string,
    status: 'pass' | 'fail' | 'error',
    transient?: 'unjudged' | 'flake',
    target = 'live',
  ): HistoryLine => ({
    id,
    startedAt: `2026-11-0${id.length}T00:00:00Z`,
    target,
    providers: ['p'],
    summary: {} as HistoryLine['summary'],
    byProvider: {},
    failed: [],
    checks: { 'p c': { status, ...(transient ? { transient } : {}) } },
    reportDir: '',
  });

  it('compares a check with the last run that judged it: a transient gap neither fails nor fixes it', () => {
    const steps = runSteps([
      line('a', 'pass'),
      line('b', 'error', 'unjudged'),
      line('c', 'pass'),
      line('d', 'fail'),
      line('e', 'error', 'unjudged'),
      line('f', 'fail'),
      line('g', 'pass'),
    ]);
    expect(steps.map((s) => [s.id, s.newlyFailing.length, s.fixed.length, s.unjudged.length])).toEqual([
      ['b', 0, 0, 1],
      ['c', 0, 0, 0],
      ['d', 1, 0, 0],
      ['e', 0, 0, 1],
      ['f', 0, 0, 0],
      ['g', 0, 1, 0],
    ]);
  });

  it('compares runs of the same target only', () => {
    const steps = runSteps([
      line('a', 'pass', undefined, 'live'),
      line('b', 'fail', undefined, 'mock'),
      line('c', 'pass', undefined, 'live'),
    ]);
    expect(steps.map((s) => [s.id, s.previous.id, s.newlyFailing.length])).toEqual([['c', 'a', 0]]);
  });
});
