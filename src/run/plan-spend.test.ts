// The spending plan: budgets per provider and per month, the floor (one default generation), and the worst case
// bounded by the budget.
import { describe, expect, it } from 'vitest';
import type { HarnessError } from '../core/errors.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import type { HistoryLine } from '../report/history-line.ts';
import { renderNights } from '../cli/commands/render-plan.ts';
import { planSpend } from './plan-spend.ts';
import { parseBudget, parseBudgets } from '../core/parse-budget.ts';

const plan = async (budgets: Parameters<typeof planSpend>[1]['budgets'], ids = ['evolink-kling-v3-t2v']) =>
  planSpend(await Promise.all(ids.map((id) => loadSpecById(id))), {
    baseUrls: {},
    allowPaid: true,
    seed: 1,
    budgets,
  });

describe('the spending plan', () => {
  it('parses a run-wide budget and per-provider ones', () => {
    expect(parseBudgets(['1USD', 'fal-kling-v3-standard-t2v=0.5USD'])).toEqual({
      total: { amount: 1, currency: 'USD' },
      perProvider: { 'fal-kling-v3-standard-t2v': { amount: 0.5, currency: 'USD' } },
    });
  });

  it('a per-provider budget wins; a provider without one gets what the run-wide budget leaves after it', async () => {
    const p = await plan(
      {
        total: { amount: 4, currency: 'USD' },
        perProvider: { 'evolink-kling-v3-t2v': { amount: 0.5, currency: 'USD' } },
      },
      ['evolink-kling-v3-t2v', 'fal-kling-v3-standard-t2v'],
    );
    // 4 USD less EvoLink's own 0.5: fal gets 3.5, not an equal share of 2 (the run would leave 1.5 unused)
    expect(p.nights.map((n) => n.budget?.amount)).toEqual([0.5, 3.5]);
    expect(p.nights[1]!.afterOwn).toEqual({ amount: 0.5, currency: 'USD' });
    expect(p.nights[0]!.afterOwn).toBeUndefined();
    const spent = p.nights.map((n) =>
      n.items.filter((it) => it.state === 'picked').reduce((s, it) => s + it.price.amount!, 0),
    );
    expect(spent[0]).toBeLessThanOrEqual(0.5);
    expect(spent[1]).toBeLessThanOrEqual(3.5);
    expect(p.worstCase.USD).toBeLessThanOrEqual(4);
    // the plan says where the budget comes from
    expect(renderNights(p)[3]).toContain(
      'fal-kling-v3-standard-t2v: night 1, budget 3.5 USD ' +
        '(what the run-wide 4 USD leaves after the own budgets (0.5 USD))',
    );
  });

  it('a plain budget is shared equally; own budgets leaving less than a share: the run-wide cap splits', async () => {
    const ids = ['evolink-kling-v3-t2v', 'fal-kling-v3-standard-t2v'];
    const even = await plan({ total: { amount: 4, currency: 'USD' } }, ids);
    expect(even.nights.map((n) => [n.budget?.amount, n.afterOwn])).toEqual([
      [2, undefined],
      [2, undefined],
    ]);
    // EvoLink's own 1.2 leaves 0.3, less than fal's default generation: fal claims an equal share (0.75) and the
    // cap of 1.5 gives each its default generation first, the rest in equal parts (see shareRunWide)
    const over = await plan(
      {
        total: { amount: 1.5, currency: 'USD' },
        perProvider: { 'evolink-kling-v3-t2v': { amount: 1.2, currency: 'USD' } },
      },
      ids,
    );
    const budgets = over.nights.map((n) => n.budget!.amount);
    expect(budgets[0]! + budgets[1]!).toBeLessThanOrEqual(1.5);
    expect(budgets[1]).toBeGreaterThanOrEqual(0.63);
    expect(over.nights[1]!.afterOwn).toBeUndefined();
  });

  it('the monthly cap takes what this month already spent off the night', async () => {
    const p = await plan({
      total: { amount: 5, currency: 'USD' },
      month: { amount: 30, currency: 'USD', spent: 29.4 },
    });
    expect(p.nights[0]!.budget).toEqual({ amount: 0.6, currency: 'USD' });
  });

  it('refuses (BUDGET) only when not even the default generation fits, naming the amount that would', async () => {
    await expect(plan({ total: { amount: 0.3, currency: 'USD' } })).rejects.toMatchObject({
      code: 'BUDGET',
      message: expect.stringContaining('it costs 0.375 USD'),
      fix: expect.stringContaining('at least 0.375 USD'),
    });
    // a spent monthly cap is no refusal: the run does its free checks and skips every paid one, saying why
    const month = await plan({ month: { amount: 30, currency: 'USD', spent: 30 } });
    expect(month.nights[0]!.picks.picked).toEqual({});
    expect(month.nights[0]!.picks.notTonight['default-task']).toBe(
      'monthly cap reached (30 of 30 USD spent this month)',
    );
    expect(month.requests.filter((r) => r.cost === 'billable')).toEqual([]);
  });

  it("a share too small for a provider's default generation: the fix names a run-wide amount that works", async () => {
    const ids = ['evolink-kling-v3-t2v', 'fal-kling-v3-standard-t2v'];
    const refused = await plan({ total: { amount: 1, currency: 'USD' } }, ids).catch((e: HarnessError) => e);
    expect(refused).toMatchObject({
      code: 'BUDGET',
      message: expect.stringContaining('its equal share of the run-wide --budget 1 USD (2 providers)'),
      fix: expect.stringContaining('raise the run-wide --budget to at least 1.26 USD (--budget 1.26USD: 0.63 each)'),
    });
    expect((refused as HarnessError).fix).toContain('--budget fal-kling-v3-standard-t2v=0.63USD');
    // the amount it names is planned
    const fixed = await plan({ total: { amount: 1.26, currency: 'USD' } }, ids);
    expect(fixed.nights.map((n) => n.budget?.amount)).toEqual([0.63, 0.63]);
  });

  it('a currency is its code as written (EUR); a --budget-month in another currency names that flag', async () => {
    expect(parseBudget('1.2EUR')).toEqual({ amount: 1.2, currency: 'EUR' });
    expect(parseBudget('2 usd')).toEqual({ amount: 2, currency: 'USD' });
    expect(parseBudget('300credit')).toEqual({ amount: 300, currency: 'credits' });
    expect(() => parseBudget('x', '--budget-month')).toThrow('--budget-month x is not an amount');
    await expect(plan({ month: { amount: 60, currency: 'EUR', spent: 0 } })).rejects.toMatchObject({
      code: 'BUDGET',
      message: expect.stringContaining('priced in USD, --budget-month is in EUR'),
      fix: 'give the monthly cap in its currency: --budget-month <n>USD',
    });
  });

  it('refuses every provider that cannot run under the budget in one error, each with its reason and fix', async () => {
    const ids = ['apiinone-kling-3', 'aimanyi-kling-3.0-turbo', 'kling-official-v3', 'evolink-kling-v3-t2v'];
    const refused = await plan({ total: { amount: 1, currency: 'USD' } }, ids).catch((e: HarnessError) => e);
    expect(refused).toMatchObject({ code: 'BUDGET', message: expect.stringContaining('4 providers cannot run') });
    for (const id of ids) {
      expect((refused as HarnessError).message).toContain(`  - ${id}: `);
      expect((refused as HarnessError).fix).toContain(`  - ${id}: `);
    }
    expect((refused as HarnessError).fix).toContain('--budget apiinone-kling-3=<n>credits');
  });

  it('a provider whose model is documented as unavailable (no default generation) is planned or refused', async () => {
    // toapis-kling-v3-fast sends no default generation, only risky creates; it publishes no price: refused, exit 2
    for (const budgets of [
      { total: { amount: 1.2, currency: 'USD' } },
      { perProvider: { 'toapis-kling-v3-fast': { amount: 1, currency: 'USD' } } },
    ])
      await expect(plan(budgets, ['toapis-kling-v3-fast'])).rejects.toMatchObject({
        code: 'BUDGET',
        message: expect.stringContaining('no price for toapis-kling-v3-fast'),
      });
  });

  it('history: a check judged live last night ranks after one never judged', async () => {
    const spec = await loadSpecById('evolink-kling-v3-t2v');
    const first = await plan({ total: { amount: 1, currency: 'USD' } });
    const picked = first.nights[0]!.items.filter((it) => it.state === 'picked');
    const history: HistoryLine[] = [
      {
        id: 'n1',
        startedAt: '2026-11-01T03:17:00.000Z',
        target: 'live',
        providers: [spec.id],
        summary: { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 },
        byProvider: {},
        failed: [],
        checks: Object.fromEntries(
          picked.flatMap((it) => it.checks).map((c) => [`${spec.id} ${c}`, { status: 'pass' }]),
        ),
        reportDir: '',
      },
    ];
    const second = await planSpend([spec], {
      baseUrls: {},
      allowPaid: true,
      seed: 1,
      budgets: { total: { amount: 1, currency: 'USD' } },
      history,
    });
    const tonight = second.nights[0]!.items.filter((it) => it.state === 'picked').map((it) => it.id);
    expect(tonight.some((id) => picked.some((p) => p.id === id))).toBe(false);
    expect(second.nights[0]!.night).toBe(2);
  });
});
