// `merge` joins a night's shards into one run: its paid plan once (each provider's budget the night's, its spend the
// sum of the shards'), the shards it holds and the night's --run-id — so its one history line banks what the night
// truly left.
import { describe, expect, it } from 'vitest';
import { pastUnspent } from '../run/rotate-paid.ts';
import { buildResults, type RunResults } from './build-results.ts';
import { toHistoryLine } from './history-line.ts';
import { mergeResults } from './merge-results.ts';

const P = 'evolink-kling-v3-t2v';

/** One shard's results.json: the night's plan for P (budget 1 USD), and what this shard spent of it. */
const shard = (part: string, spent: number, runId = 'nightly-7'): { file: string; results: RunResults } => ({
  file: `${part}.json`,
  results: buildResults(
    {
      id: `run-${part}`,
      target: 'live',
      providers: [{ id: P, baseUrl: 'https://gateway.example' }],
      seed: 1,
      startedAt: '2026-11-01T03:00:00Z',
      endedAt: '2026-11-01T03:10:00Z',
      allowPaid: true,
      client: 'reference',
      shard: part,
      shardOf: runId,
      spend: {
        documented: { USD: spent },
        tasks: 1,
        mistakenTasks: 0,
        cancelled: 0,
        plan: [
          {
            provider: P,
            night: 1,
            budget: { amount: 1, currency: 'USD' },
            picked: ['default'],
            spent,
            skippedForBudget: [],
          },
        ],
      },
    },
    [],
    '0.0.0',
  ),
});

describe('merge of a paid night', () => {
  it("writes one line: the night's budget once, the shards' spends added up, the shards and the night named", () => {
    const merged = mergeResults([shard('1/2', 0.375), shard('2/2', 0.2)], '0.0.0');
    expect(merged.run.spend?.plan).toMatchObject([{ provider: P, budget: { amount: 1 }, spent: 0.575 }]);
    const line = toHistoryLine(merged, 'reports/merged');
    expect(line.shard).toEqual({ runId: 'nightly-7', parts: ['1/2', '2/2'] });
    expect(line.paid?.[P]).toMatchObject({ budget: 1, spent: 0.575 });
    expect(pastUnspent([line], P)).toEqual([{ night: 1, amount: 0.425 }]);
  });

  it('a merge lacking a shard is a night that banks nothing', () => {
    const line = toHistoryLine(mergeResults([shard('1/3', 0.375), shard('3/3', 0.2)], '0.0.0'), 'r');
    expect(pastUnspent([line], P)).toEqual([{ night: 1, amount: 0 }]);
  });

  it('refuses shards of different nights (another --run-id)', () => {
    expect(() => mergeResults([shard('1/2', 0.375), shard('2/2', 0.2, 'nightly-8')], '0.0.0')).toThrow(
      /2\/2\.json is a shard of another run: its shardOf is "nightly-8", not "nightly-7"/,
    );
  });
});
