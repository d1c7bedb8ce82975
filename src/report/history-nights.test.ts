// `history` reads a night run in shards as one run: the shard lines of one --run-id joined, their spends added up, the
// budget counted once, the verdicts merged; a night lacking a shard is marked incomplete and banks nothing.
import { describe, expect, it } from 'vitest';
import type { CheckStatus } from '../checks/types.ts';
import type { HistoryLine } from './history-line.ts';
import { joinShardedNights } from './history-nights.ts';
import { renderHistoryMarkdown } from './history-markdown.ts';
import { historyStats } from './history-stats.ts';

const P = 'evolink-kling-v3-t2v';
const counts = (statuses: CheckStatus[]) => {
  const c = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 };
  for (const s of statuses) c[s] += 1;
  return c;
};
/** One shard's line: its own checks and spend, the night's budget. */
const shardLine = (id: string, startedAt: string, runId: string, part: string, spent: number, checks: object) => {
  const statuses = Object.values(checks) as CheckStatus[];
  return {
    id,
    startedAt,
    target: 'live',
    providers: [P],
    summary: counts(statuses),
    byProvider: { [P]: counts(statuses) },
    failed: Object.entries(checks).flatMap(([k, s]) => (s === 'fail' ? [`${P} ${k}`] : [])),
    checks: Object.fromEntries(Object.entries(checks).map(([k, s]) => [`${P} ${k}`, { status: s as CheckStatus }])),
    spend: { USD: spent },
    paid: { [P]: { budget: 1, currency: 'USD', spent, picked: [`pick-${part}`] } },
    billableTasks: 1,
    shard: { runId, parts: [part] },
    reportDir: `reports/${id}`,
  } satisfies HistoryLine;
};
const history: HistoryLine[] = [
  shardLine('a1', '2026-11-01T03:00:05.000Z', 'ci-101', '1/2', 0.45, {
    'boundary.maximum': 'pass',
    'reject.x': 'pass',
  }),
  shardLine('a2', '2026-11-01T03:00:00.000Z', 'ci-101', '2/2', 0.375, { 'defaults.duration': 'pass' }),
  shardLine('b1', '2026-11-02T03:00:00.000Z', 'ci-102', '1/2', 0.3, { 'boundary.maximum': 'pass', 'reject.x': 'fail' }),
];

describe('a night run in shards, as history shows it', () => {
  it("is one run: its shards' checks, verdicts and spends added up, the budget once", () => {
    const [whole, partial] = joinShardedNights(history);
    expect(whole).toMatchObject({
      id: 'ci-101',
      startedAt: '2026-11-01T03:00:00.000Z',
      summary: { pass: 3, fail: 0 },
      byProvider: { [P]: { pass: 3, fail: 0 } },
      spend: { USD: 0.825 },
      paid: { [P]: { budget: 1, spent: 0.825, currency: 'USD', picked: ['pick-1/2', 'pick-2/2'] } },
      billableTasks: 2,
      shards: { runId: 'ci-101', parts: ['1/2', '2/2'], of: 2, missing: [], lines: 2 },
    });
    expect(Object.keys(whole!.checks!)).toHaveLength(3);
    expect(whole!.incomplete).toBeUndefined();
    expect(partial).toMatchObject({
      id: 'ci-102',
      incomplete: true,
      shards: { parts: ['1/2'], of: 2, missing: ['2/2'], problem: 'shard 2/2 not in the history' },
    });
  });

  it('history: two runs, not three; the spend per night; the incomplete night banks nothing, saying so', () => {
    const stats = historyStats(history, Date.parse('2026-11-03T00:00:00Z'));
    expect(stats.window.runs).toBe(2);
    expect(stats.spend.map((s) => [s.id, s.documented])).toEqual([
      ['ci-101', { USD: 0.825 }],
      ['ci-102', { USD: 0.3 }],
    ]);
    // the step is night to night, not shard to shard
    expect(stats.steps.map((s) => [s.id, s.previous.id, s.newlyFailing])).toEqual([
      ['ci-102', 'ci-101', [`${P} reject.x`]],
    ]);
    expect(stats.shardedNights).toMatchObject([
      { id: 'ci-101', parts: ['1/2', '2/2'], of: 2, paid: { [P]: { budget: 1, spent: 0.825, banks: 0.175 } } },
      { id: 'ci-102', missing: ['2/2'], paid: { [P]: { budget: 1, spent: 0.3, banks: 0 } } },
    ]);
    const md = renderHistoryMarkdown(stats);
    expect(md).toContain('# kling-conformance history: 2 runs');
    expect(md).toContain('| ci-101 | 2026-11-01T03:00:00.000Z | 0.825 USD |');
    expect(md).not.toMatch(/\| a[12] \|/);
    expect(md).toContain(
      `| ci-101 | 2026-11-01T03:00:00.000Z | 2 of 2 | 0.825 USD | ${P}: 0.825 of 1 USD | ${P}: 3 pass | ` +
        `${P}: banks 0.175 USD |`,
    );
    expect(md).toContain(
      `| ci-102 | 2026-11-02T03:00:00.000Z | 1 of 2, missing 2/2 | 0.3 USD | ${P}: 0.3 of 1 USD | ` +
        `${P}: 1 pass, 1 fail | **incomplete** (shard 2/2 not in the history): banks nothing |`,
    );
  });

  it("merge --history's one line is a whole night; an unsharded run stays as it was", () => {
    const merged = { ...history[0]!, id: 'm', shard: { runId: 'ci-103', parts: ['1/2', '2/2'] } };
    const plain = { ...history[0]!, id: 'plain', shard: undefined };
    const [m, p] = joinShardedNights([merged, plain]);
    expect(m).toMatchObject({ id: 'ci-103', shards: { of: 2, missing: [], lines: 1 } });
    expect(m!.incomplete).toBeUndefined();
    expect(p).toBe(plain);
  });
});
