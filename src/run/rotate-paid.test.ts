// Paid coverage rotates over nights: each simulated night plans from the history the nights before wrote (a
// simulated clock, one day apart); the picks become that night's live verdicts and its spend, and what a night leaves
// of its budget is banked for paid items dearer than a night.
import { describe, expect, it } from 'vitest';
import { checksFor } from '../checks/registry.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import type { HistoryLine } from '../report/history-line.ts';
import { planSpend, type Budgets } from './plan-spend.ts';

const PROVIDER = 'evolink-kling-v3-t2v';
const START = Date.parse('2026-11-01T03:17:00Z');

const planNight = async (
  history: HistoryLine[],
  budget?: number,
  opts: { carryOver?: boolean; month?: Budgets['month'] } = {},
) =>
  (
    await planSpend([await loadSpecById(PROVIDER)], {
      baseUrls: { '*': 'https://gateway.example' },
      allowPaid: true,
      seed: 1,
      budgets:
        budget === undefined && !opts.month
          ? undefined
          : {
              ...(budget !== undefined ? { perProvider: { [PROVIDER]: { amount: budget, currency: 'USD' } } } : {}),
              ...(opts.month ? { month: opts.month } : {}),
            },
      history,
      carryOver: opts.carryOver,
    })
  ).nights[0]!;

/** What a conforming gateway's night writes to the history: the picks judged, their spend, the night's budget. */
function nightLine(n: number, night: Awaited<ReturnType<typeof planNight>>): HistoryLine {
  const picked = night.items.filter((it) => it.state === 'picked');
  const spent = Math.round(picked.reduce((s, it) => s + it.price.amount!, 0) * 10000) / 10000;
  return {
    id: `night-${n}`,
    startedAt: new Date(START + (n - 1) * 86_400_000).toISOString(),
    target: 'live',
    providers: [PROVIDER],
    summary: { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 },
    byProvider: {},
    failed: [],
    checks: Object.fromEntries(picked.flatMap((it) => it.checks).map((c) => [`${PROVIDER} ${c}`, { status: 'pass' }])),
    spend: { USD: spent },
    paid: {
      [PROVIDER]: {
        ...(night.budget ? { budget: night.budget.amount, currency: 'USD' } : {}),
        spent,
        picked: picked.map((it) => it.id),
      },
    },
    reportDir: '',
  };
}

/** `nights` nights at this budget: per night its plan; the history they wrote. */
async function simulate(nights: number, budget?: number, opts: { carryOver?: boolean } = {}) {
  const history: HistoryLine[] = [];
  const plans: Awaited<ReturnType<typeof planNight>>[] = [];
  for (let n = 1; n <= nights; n++) {
    const night = await planNight(history, budget, opts);
    plans.push(night);
    history.push(nightLine(n, night));
  }
  const ran = (id: string) => plans.findIndex((p) => p.items.some((it) => it.id === id && it.state === 'picked')) + 1;
  return { history, plans, ran };
}

describe('paid rotation over nights', () => {
  it('seven nights at 1 USD judge every paid item of EvoLink, the dear ones from what nights banked', async () => {
    const { plans, history, ran } = await simulate(7, 1);
    const items = plans[0]!.items;
    // the explicit-setting videos are items of their own, each with its documented price
    expect(items.map((it) => it.id)).toEqual(
      expect.arrayContaining([
        'default-task',
        'boundary.maximum',
        'defaults.explicit_settings/3s-9:16-1080p',
        'defaults.explicit_settings/15s-1:1',
      ]),
    );
    expect(items.find((it) => it.id === 'defaults.explicit_settings/3s-9:16-1080p')!.price.amount).toBe(0.3);
    expect(items.find((it) => it.id === 'boundary.maximum')!.price.amount).toBe(1.125);
    for (const it of items) expect(ran(it.id), it.id).toBeGreaterThan(0);
    // a night spends past its budget only for an item dearer than a night, and only what the bank held
    let bank = 0;
    for (const [i, p] of plans.entries()) {
      const spent = history[i]!.paid![PROVIDER]!.spent;
      expect(spent).toBeLessThanOrEqual(1 + p.fromBank + 1e-9);
      expect(p.fromBank).toBeLessThanOrEqual(bank + 1e-9);
      if (p.fromBank) expect(p.items.some((it) => it.state === 'picked' && it.savedFor && it.fromBank)).toBe(true);
      bank = bank - p.fromBank + Math.max(0, 1 - spent + p.fromBank);
    }
    const total = history.reduce((s, l) => s + l.spend!.USD!, 0);
    expect(total).toBeLessThanOrEqual(7 + 1e-9);
    const maximum = plans[ran('boundary.maximum') - 1]!;
    expect(maximum.picks.picked['boundary.maximum']).toBeDefined();
    expect(maximum.fromBank).toBeGreaterThan(0);
    expect(checksFor(await loadSpecById(PROVIDER)).length).toBeGreaterThan(items.length);
  });

  it('"due on night N" is exact: each item runs on the night announced, with and without a budget', async () => {
    for (const budget of [1, 2, undefined]) {
      // as many nights as the first night's plan looks ahead
      const last = Math.max(...(await planNight([], budget)).items.map((it) => it.night ?? 0));
      const { plans, ran } = await simulate(last, budget);
      for (const it of plans[0]!.items) expect(ran(it.id), `${budget} USD: ${it.id}`).toBe(it.night);
      for (const it of plans[0]!.items.filter((x) => x.state !== 'picked'))
        expect(plans[0]!.picks.notTonight[it.id]).toContain(`due on night ${it.night}`);
    }
  });

  it('the night a saved-for item runs says what the bank pays and which nights banked it', async () => {
    const { plans, ran } = await simulate(7, 1);
    const night = plans[ran('boundary.maximum') - 1]!;
    const it = night.items.find((x) => x.id === 'boundary.maximum')!;
    expect(it.fromBank!.amount).toBeGreaterThan(0);
    expect(night.fromBank).toBeGreaterThanOrEqual(it.fromBank!.amount);
    expect(plans[0]!.picks.notTonight['boundary.maximum']).toMatch(
      new RegExp(
        '^paid, saved for: due on night \\d+ \\(in \\d+ nights\\), ' +
          'its 1\\.125 USD paid partly from [\\d.]+ USD banked on nights? \\d+(–\\d+)?$',
      ),
    );
  });

  it('--no-carry-over: an item dearer than a night never runs at this budget; the report says what would', async () => {
    const night = await planNight([], 1, { carryOver: false });
    const it = night.items.find((x) => x.id === 'boundary.maximum')!;
    expect(it.state).toBe('over-budget');
    expect(night.picks.notTonight['boundary.maximum']).toBe(
      "paid, skipped for budget: its one generation costs 1.125 USD, more than a night's budget; it can never run " +
        'at this budget without carry-over — a nightly budget of 1.125 USD would run it',
    );
    expect(night.fromBank).toBe(0);
  });

  it('a spent monthly cap plans no paid item and says why', async () => {
    const night = await planNight([], 1, { month: { amount: 30, currency: 'USD', spent: 30.2 } });
    expect(night.items.every((it) => it.state === 'capped')).toBe(true);
    expect(night.picks.notTonight['default-task']).toBe('monthly cap reached (30.2 of 30 USD spent this month)');
    expect(night.budget).toEqual({ amount: 0, currency: 'USD' });
  });

  it('without a history the ranking is the same for the same seed, the default generation first', async () => {
    const order = async () => (await planNight([])).items.map((it) => it.id);
    expect(await order()).toEqual(await order());
    expect((await order())[0]).toBe('default-task');
  });

  it('without --budget a live run plans exactly one generation and dates the rest', async () => {
    const spec = await loadSpecById(PROVIDER);
    const plan = await planSpend([spec], { baseUrls: {}, allowPaid: true, seed: 1 });
    expect(plan.requests.filter((r) => r.cost === 'billable')).toHaveLength(1);
    const rest = plan.nights[0]!.items.slice(1);
    for (const it of rest) expect(plan.nights[0]!.picks.notTonight[it.id]).toMatch(/due on night \d+/);
  });
});
