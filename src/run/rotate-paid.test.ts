// Paid coverage rotates over nights: each simulated night plans from the history the nights before wrote (a
// simulated clock, one day apart), and the checks the picks judge become that night's live verdicts.
import { describe, expect, it } from 'vitest';
import { checksFor } from '../checks/registry.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import type { HistoryLine } from '../report/history-line.ts';
import { planSpend } from './plan-spend.ts';

const PROVIDER = 'evolink-kling-v3-t2v';

/** Plans `nights` nights at this budget; returns the paid checks judged live by the end, and the spend per night. */
async function simulate(nights: number, budget: number) {
  const spec = await loadSpecById(PROVIDER);
  const history: HistoryLine[] = [];
  const spent: number[] = [];
  const start = Date.parse('2026-11-01T03:17:00Z');
  for (let n = 0; n < nights; n++) {
    const plan = await planSpend([spec], {
      baseUrls: { '*': 'https://gateway.example' },
      allowPaid: true,
      seed: 1,
      budgets: { perProvider: { [PROVIDER]: { amount: budget, currency: 'USD' } } },
      history,
    });
    const night = plan.nights[0]!;
    const picked = night.items.filter((it) => it.state === 'picked');
    spent.push(picked.reduce((s, it) => s + it.price.amount!, 0));
    history.push({
      id: `night-${n + 1}`,
      startedAt: new Date(start + n * 86_400_000).toISOString(),
      target: 'live',
      providers: [PROVIDER],
      summary: { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 },
      byProvider: {},
      failed: [],
      checks: Object.fromEntries(
        picked.flatMap((it) => it.checks).map((c) => [`${PROVIDER} ${c}`, { status: 'pass' }]),
      ),
      reportDir: '',
    });
  }
  const judged = new Set(history.flatMap((h) => Object.keys(h.checks!).map((k) => k.split(' ')[1]!)));
  return { spec, judged, spent, history };
}

describe('paid rotation over nights', () => {
  it('seven nights at 2 USD judge every paid check, each night within its budget', async () => {
    const { spec, judged, spent } = await simulate(7, 2);
    const plan = await planSpend([spec], {
      baseUrls: { '*': 'https://gateway.example' },
      allowPaid: true,
      seed: 1,
      budgets: { perProvider: { [PROVIDER]: { amount: 2, currency: 'USD' } } },
    });
    const paid = plan.nights[0]!.items.flatMap((it) => it.checks);
    expect(paid.length).toBeGreaterThan(10);
    expect(paid.filter((c) => !judged.has(c))).toEqual([]);
    for (const s of spent) expect(s).toBeLessThanOrEqual(2);
    expect(checksFor(spec).length).toBeGreaterThan(paid.length);
  });

  it('seven nights at 1 USD judge every paid check whose one generation costs less than a night', async () => {
    const { judged, spent, history } = await simulate(7, 1);
    for (const s of spent) expect(s).toBeLessThanOrEqual(1);
    const plan = await planSpend([await loadSpecById(PROVIDER)], {
      baseUrls: { '*': 'https://gateway.example' },
      allowPaid: true,
      seed: 1,
      budgets: { perProvider: { [PROVIDER]: { amount: 1, currency: 'USD' } } },
      history,
    });
    const night = plan.nights[0]!;
    expect(night.night).toBe(8);
    const unjudged = night.items.filter((it) => it.checks.some((c) => !judged.has(c)));
    // only what one night cannot hold: a 15 s video at 1.125 USD; the plan says so and what it needs
    expect(unjudged.map((it) => it.id)).toEqual(['boundary.maximum']);
    expect(unjudged[0]!.state).toBe('over-budget');
    expect(night.picks.notTonight['boundary.maximum']).toBe(
      "paid, skipped for budget: its one generation costs 1.125, more than a night's budget",
    );
  });

  it('without a history the ranking is the same for the same seed, the default generation first', async () => {
    const spec = await loadSpecById(PROVIDER);
    const order = async (seed: number) =>
      (await planSpend([spec], { baseUrls: {}, allowPaid: true, seed })).nights[0]!.items.map((it) => it.id);
    expect(await order(1)).toEqual(await order(1));
    expect((await order(1))[0]).toBe('default-task');
  });

  it('without --budget a live run plans exactly one generation and dates the rest', async () => {
    const spec = await loadSpecById(PROVIDER);
    const plan = await planSpend([spec], { baseUrls: {}, allowPaid: true, seed: 1 });
    expect(plan.requests.filter((r) => r.cost === 'billable')).toHaveLength(1);
    const rest = plan.nights[0]!.items.slice(1);
    for (const it of rest) expect(plan.nights[0]!.picks.notTonight[it.id]).toMatch(/due on night \d+/);
  });
});
