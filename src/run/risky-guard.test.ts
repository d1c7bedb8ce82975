// A live run without --allow-paid spends nothing unless a budget caps its risky creates (bodies the documents forbid,
// billed if wrongly accepted) or --allow-risky sends them uncapped; a budget given without --allow-paid caps them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpendLedger } from '../core/spend-ledger.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { planSpend, type Budgets } from './plan-spend.ts';
import { spendLimits } from './spend-limits.ts';

const EVOLINK = 'evolink-kling-v3-t2v';
const FAL = 'fal-kling-v3-standard-t2v';
const freePlan = async (budgets: Budgets | undefined, allowRisky = false, ids = [EVOLINK, FAL]) =>
  planSpend(await Promise.all(ids.map((id) => loadSpecById(id))), {
    baseUrls: {},
    allowPaid: false,
    allowRisky,
    seed: 1,
    budgets,
  });
const usd = (amount: number) => ({ amount, currency: 'USD' });

describe('risky creates without --allow-paid', () => {
  it('no budget and no --allow-risky: none is planned, none reserved, the plan says what was left out', async () => {
    const plan = await freePlan(undefined);
    expect(plan.requests.filter((r) => r.cost !== 'free')).toEqual([]);
    expect(plan.worstCase).toEqual({});
    expect(plan.riskyNotSent!.count).toBeGreaterThan(0);
    expect(plan.riskyNotSent!.worstCase.USD).toBeGreaterThan(1);
    expect(Object.keys(plan.riskyRefused!)).toEqual([EVOLINK, FAL]);
    const limits = spendLimits(plan, undefined).limits;
    const ledger = new SpendLedger(join(tempFolder('kc-risky-'), 'ledger.jsonl'), undefined, limits);
    const risky = await ledger.reserve({ id: 'a', provider: EVOLINK, purpose: 'risky', ...usd(0.375) });
    expect(risky).toEqual({ ok: false, why: expect.stringContaining('--allow-risky') });
    expect(ledger.totals().spent).toEqual({});
  });

  it('--allow-risky sends them uncapped (the worst case says so)', async () => {
    const plan = await freePlan(undefined, true);
    expect(plan.riskyRefused).toBeUndefined();
    expect(plan.worstCase.USD).toBeGreaterThan(1);
  });

  it('a run-wide budget caps them: each provider its share in the ledger, the worst case within it', async () => {
    const plan = await freePlan({ total: usd(1) });
    expect(plan.riskyRefused).toBeUndefined();
    expect(plan.riskyBudgets).toEqual({ [EVOLINK]: usd(0.5), [FAL]: usd(0.5) });
    expect(plan.worstCase.USD).toBeLessThanOrEqual(1);
    expect(plan.requests.some((r) => r.cost === 'if-accepted')).toBe(true);
    const { budget, limits } = spendLimits(plan, usd(1));
    expect(budget).toEqual(usd(1));
    const ledger = new SpendLedger(join(tempFolder('kc-risky-'), 'ledger.jsonl'), budget, { ...limits, holdWaitMs: 0 });
    expect(await ledger.reserve({ id: 'a', provider: FAL, purpose: 'risky', ...usd(0.45) })).toEqual({ ok: true });
    expect(await ledger.reserve({ id: 'b', provider: FAL, purpose: 'risky', ...usd(0.1) })).toMatchObject({
      ok: false,
    });
  });

  it('a per-provider budget caps that provider; the one no budget caps sends no risky create', async () => {
    const plan = await freePlan({ perProvider: { [EVOLINK]: usd(1) } });
    expect(plan.riskyBudgets).toEqual({ [EVOLINK]: usd(1) });
    expect(Object.keys(plan.riskyRefused!)).toEqual([FAL]);
    expect(plan.requests.some((r) => r.provider === FAL && r.cost !== 'free')).toBe(false);
    expect(plan.worstCase.USD).toBeLessThanOrEqual(1);
    expect(spendLimits(plan, undefined).limits.perProvider).toEqual({ [EVOLINK]: usd(1) });
  });

  it('a monthly cap alone caps them at what the month leaves', async () => {
    const plan = await freePlan({ month: { ...usd(3), spent: 2.5 } }, false, [EVOLINK]);
    expect(plan.riskyBudgets).toEqual({ [EVOLINK]: usd(0.5) });
    expect(plan.worstCase.USD).toBeLessThanOrEqual(0.5);
  });
});
