// A night run in shards is one night in the history: its budget once, its spend the sum of its shards'. The bank (what
// the last nights left unspent) is exact however the night was cut, and a night lacking a shard banks nothing.
import { describe, expect, it } from 'vitest';
import { loadSpecById } from '../spec/load-spec.ts';
import type { HistoryLine } from '../report/history-line.ts';
import { planSpend } from './plan-spend.ts';
import { nightNumber, pastNights, pastUnspent } from './rotate-paid.ts';

const P = 'evolink-kling-v3-t2v';

/** One history line: a whole night, or the part(s) of a sharded one, with the night's budget and these parts' spend. */
const line = (id: string, spent: number, shard?: { runId: string; parts: string[] }): HistoryLine => ({
  id,
  startedAt: '2026-11-01T03:00:00Z',
  target: 'live',
  providers: [P],
  summary: { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 },
  byProvider: {},
  failed: [],
  paid: { [P]: { budget: 1, currency: 'USD', spent, picked: [] } },
  ...(shard ? { shard } : {}),
  reportDir: '',
});
const shardLine = (runId: string, part: string, spent: number) =>
  line(`${runId}-${part}`, spent, { runId, parts: [part] });

const planTonight = async (history: HistoryLine[]) =>
  (
    await planSpend([await loadSpecById(P)], {
      baseUrls: { '*': 'https://gateway.example' },
      allowPaid: true,
      seed: 1,
      budgets: { perProvider: { [P]: { amount: 1, currency: 'USD' } } },
      history,
    })
  ).nights[0]!;

describe('a sharded night in the history', () => {
  it("is one night: the budget once, the shards' spends added up", () => {
    const history = [shardLine('n1', '1/2', 0.375), shardLine('n1', '2/2', 0.2)];
    // (each line read as a night of its own would bank 0.625 + 0.8 = 1.425 of a night that left 0.425)
    expect(pastUnspent(history, P)).toEqual([{ night: 1, amount: 0.425 }]);
    expect(nightNumber(history, P)).toBe(2);
  });

  it('two nights in shards bank what each truly left, in order, and an unsharded night stays one line', () => {
    const history = [
      shardLine('n1', '1/2', 0.375),
      line('plain', 0.9),
      shardLine('n2', '2/2', 0.1),
      shardLine('n2', '1/2', 0.75),
    ];
    expect(pastUnspent(history, P)).toEqual([
      { night: 1, amount: 0 },
      { night: 2, amount: 0.1 },
      { night: 3, amount: 0.15 },
    ]);
  });

  it('a night lacking a shard banks nothing (what its present shards overspent still counts), saying so', () => {
    expect(pastNights([shardLine('n1', '1/3', 0.2), shardLine('n1', '3/3', 0.1)], P)).toEqual([
      {
        night: 1,
        amount: 0,
        note: 'night 1 (run n1): shard 2/3 not in the history, counted as having left nothing unspent',
      },
    ]);
    expect(pastUnspent([shardLine('n1', '1/2', 1.2)], P)).toEqual([{ night: 1, amount: -0.2 }]);
    // shards cut in different counts are not one run's: nothing is known of that night
    expect(pastUnspent([shardLine('n1', '1/2', 0.1), shardLine('n1', '2/3', 0.1)], P)).toEqual([
      { night: 1, amount: 0 },
    ]);
  });

  it("merge's one line for the night reads as its shards' lines do", () => {
    const merged = line('n1-merged', 0.575, { runId: 'n1', parts: ['1/2', '2/2'] });
    expect(pastUnspent([merged], P)).toEqual(
      pastUnspent([shardLine('n1', '1/2', 0.375), shardLine('n1', '2/2', 0.2)], P),
    );
  });

  it("tonight's plan states the bank and why a night counted as leaving nothing", async () => {
    const whole = await planTonight([shardLine('n1', '1/2', 0.375), shardLine('n1', '2/2', 0.2)]);
    expect(whole).toMatchObject({ night: 2, banked: 0.425 });
    expect(whole.notes).toBeUndefined();
    const lacking = await planTonight([shardLine('n1', '1/2', 0.375), line('plain', 0.5)]);
    expect(lacking).toMatchObject({ night: 3, banked: 0.5 });
    expect(lacking.notes).toEqual([
      'night 1 (run n1): shard 2/2 not in the history, counted as having left nothing unspent',
    ]);
  });
});
