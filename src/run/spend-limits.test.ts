// Tonight's plan as the ledger's limits, replayed on a ledger event by event: per-provider budgets that add up to more
// than the run-wide one are split by the plan (no pool shared: every planned pick fits whichever provider reserves
// first), and a shard holds its part of each budget and waits for the risky creates of its own suite files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LedgerEntry, type Money, SpendLedger } from '../core/spend-ledger.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { planSpend, type SpendPlan } from './plan-spend.ts';
import { spendLimits } from './spend-limits.ts';
import { shardFamilies, shardSuiteFiles } from './suite-families.ts';

const USD = (amount: number): Money => ({ amount, currency: 'USD' });
const EVOLINK = 'evolink-kling-v3-t2v';
const FAL = 'fal-kling-v3-standard-t2v';

const plan = async (ids: string[], budgets: NonNullable<Parameters<typeof planSpend>[1]['budgets']>) =>
  planSpend(await Promise.all(ids.map((id) => loadSpecById(id))), { baseUrls: {}, allowPaid: true, seed: 1, budgets });

/** The ledger a run's workers share, with tonight's limits (the risky phase long enough never to end in a test). */
const ledgerOf = (limits: ReturnType<typeof spendLimits>) =>
  new SpendLedger(join(tempFolder('kc-limits-'), 'ledger.jsonl'), limits.budget, {
    ...limits.limits,
    riskyPhaseUntil: Date.now() + 600_000,
    holdWaitMs: 0,
  });

/** The paid creates tonight's plan sends for a provider (each pick's create, at its documented price). */
const picksOf = (p: SpendPlan, provider: string, families?: Set<string>) =>
  p.requests.filter(
    (r) =>
      r.provider === provider &&
      r.cost === 'billable' &&
      r.purpose !== 'risky' &&
      (!families || families.has(r.family)),
  );

/** did the reserve answer before the event loop turned (no wait at all)? */
const atOnce = (p: Promise<unknown>) =>
  Promise.race([p.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);

describe('per-provider budgets under a run-wide budget', () => {
  // 0.8 USD each, 1.2 USD for the run: EvoLink's own budget would pick its default generation (0.375) and a 3 s video
  // (0.3), fal's its default generation (0.63): 1.305 USD, more than the run may spend
  const budgets = { total: USD(1.2), perProvider: { [EVOLINK]: USD(0.8), [FAL]: USD(0.8) } };

  it('every pick the plan makes is granted, whichever provider reserves first; neither budget is passed', async () => {
    const p = await plan([EVOLINK, FAL], budgets);
    for (const order of [
      [EVOLINK, FAL],
      [FAL, EVOLINK],
    ]) {
      const ledger = ledgerOf(spendLimits(p, budgets.total));
      const granted: string[] = [];
      for (const provider of order)
        for (const [i, r] of picksOf(p, provider).entries()) {
          const hold = {
            id: `${provider}-${i}`,
            provider,
            purpose: r.purpose,
            amount: r.price!.amount!,
            currency: 'USD',
          };
          const answer = await ledger.reserve(hold);
          expect(answer, `${provider} ${r.purpose}`).toEqual({ ok: true });
          granted.push(`${provider} ${r.purpose}`);
        }
      expect(granted).toHaveLength(2);
      const spent = ledger.spentByProvider();
      expect(spent[EVOLINK]!.USD).toBeLessThanOrEqual(0.8);
      expect(spent[FAL]!.USD).toBeLessThanOrEqual(0.8);
      expect(ledger.totals().spent.USD).toBeLessThanOrEqual(1.2);
    }
  });

  it('the plan states both limits, what the cap leaves each provider, and which picks the cap skips', async () => {
    const p = await plan([EVOLINK, FAL], budgets);
    const [evolink, fal] = p.nights;
    // the default generations first (1.005), the rest (0.195) in equal parts: each provider 0.0975 above its floor
    expect(evolink).toMatchObject({ budget: USD(0.4725), ownBudget: USD(0.8), runWide: USD(1.2) });
    expect(fal).toMatchObject({ budget: USD(0.7275), ownBudget: USD(0.8), runWide: USD(1.2) });
    expect(Object.keys(evolink!.picks.picked)).toEqual(['default-task']);
    expect(evolink!.picks.notTonight['defaults.explicit_settings/3s-9:16-1080p']).toMatch(
      /^paid, skipped for the run-wide budget \(1\.2 USD leaves it 0\.4725 of its 0\.8\): due on night \d/,
    );
    expect(p.worstCase.USD).toBeLessThanOrEqual(1.2);
  });

  it('own budgets that fit under the cap stand as given; a plain --budget is shared equally, as before', async () => {
    const fits = await plan([EVOLINK, FAL], { total: USD(2), perProvider: { [EVOLINK]: USD(0.8), [FAL]: USD(0.8) } });
    expect(fits.nights.map((n) => [n.budget, n.ownBudget])).toEqual([
      [USD(0.8), undefined],
      [USD(0.8), undefined],
    ]);
    const plain = await plan([EVOLINK, FAL], { total: USD(3) });
    expect(plain.nights.map((n) => n.budget)).toEqual([USD(1.5), USD(1.5)]);
  });

  it('a cap that cannot hold every default generation is exit 2 (BUDGET) with the amount that would', async () => {
    await expect(
      plan([EVOLINK, FAL], { total: USD(1), perProvider: { [EVOLINK]: USD(0.8), [FAL]: USD(0.8) } }),
    ).rejects.toMatchObject({
      code: 'BUDGET',
      message: expect.stringContaining('they cost 1.005 USD'),
      fix: expect.stringContaining('at least 1.005 USD'),
    });
  });

  it('a run-wide budget over a provider priced in another currency is refused (exit 2), naming the fix', async () => {
    await expect(
      plan([EVOLINK, 'apiinone-kling-3'], {
        total: USD(5),
        perProvider: { 'apiinone-kling-3': { amount: 600, currency: 'credits' } },
      }),
    ).rejects.toMatchObject({
      code: 'BUDGET',
      message: expect.stringMatching(/apiinone-kling-3 is priced in credits; the run-wide --budget 5 USD cannot/),
      fix: expect.stringContaining('--budget apiinone-kling-3=<n>credits'),
    });
  });
});

describe('a shard of a budgeted run', () => {
  it("waits for its own suite files' risky creates: a paid boundary pick goes after them", async () => {
    const p = await plan([EVOLINK], { total: USD(2) });
    const shard = '1/2';
    expect(shardSuiteFiles(shard)).toContain('boundary.suite');
    const limits = spendLimits(p, USD(2), shard);
    const ledger = ledgerOf(limits);
    const boundary = new Set(['boundary']);
    const [pick] = picksOf(p, EVOLINK, boundary);
    const paid = ledger.reserve({
      id: 'p1',
      provider: EVOLINK,
      purpose: pick!.purpose,
      amount: pick!.price!.amount!,
      currency: 'USD',
    });
    expect(await atOnce(paid)).toBe(false);
    // the shard's risky creates (its boundary and reject cases) meet the money first, one after another
    // each known by its key; those the shard's part cannot hold beside its picks the plan itself does not send
    const { send, notSent } = limits.limits.riskyPlan![EVOLINK]!;
    expect(Object.keys(send).length).toBeGreaterThan(0);
    for (const [i, [key, amount]] of Object.entries(send).entries()) {
      const entry = { id: `r${i}`, provider: EVOLINK, amount, currency: 'USD', key };
      expect(await ledger.reserve({ ...entry, purpose: 'risky' })).toEqual({ ok: true });
      ledger.append({ kind: 'release', ...entry });
    }
    for (const [i, [key, why]] of Object.entries(notSent).entries())
      expect(
        await ledger.reserve({ id: `h${i}`, provider: EVOLINK, purpose: 'risky', amount: 1, currency: 'USD', key }),
      ).toEqual({ ok: false, why });
    expect(await paid).toEqual({ ok: true });
    const kinds = ledger.entries().map((e: LedgerEntry) => `${e.kind} ${e.id}`);
    expect(kinds.at(-1)).toBe('reserve p1');
    expect(kinds.indexOf('reserve p1')).toBeGreaterThan(kinds.indexOf('release r0'));
    // the shard holds exactly its boundary picks (what the picks leave could hold no risky create)
    expect(limits.limits.perProvider![EVOLINK]!.amount).toBe(
      Math.round(picksOf(p, EVOLINK, boundary).reduce((s, r) => s + r.price!.amount!, 0) * 10000) / 10000,
    );
  });

  it('the shards together hold no more than each budget: every budget is the whole run’s', async () => {
    for (const budgets of [
      { total: USD(2) },
      { total: USD(1.2), perProvider: { [EVOLINK]: USD(0.8), [FAL]: USD(0.8) } },
    ])
      for (const n of [2, 3, 4]) {
        const p = await plan([EVOLINK, FAL], budgets);
        const whole = spendLimits(p, budgets.total);
        const parts = Array.from({ length: n }, (_, k) => spendLimits(p, budgets.total, `${k + 1}/${n}`));
        const sum = (pick: (l: ReturnType<typeof spendLimits>) => Money | undefined) =>
          parts.reduce((s, l) => s + (pick(l)?.amount ?? 0), 0);
        expect(sum((l) => l.budget)).toBeLessThanOrEqual(budgets.total.amount + 1e-9);
        for (const id of [EVOLINK, FAL]) {
          expect(sum((l) => l.limits.perProvider?.[id])).toBeLessThanOrEqual(
            whole.limits.perProvider![id]!.amount + 1e-9,
          );
          // and each shard's part holds the picks its own files send
          for (const [k, l] of parts.entries()) {
            const own = picksOf(p, id, shardFamilies(`${k + 1}/${n}`)).reduce((s, r) => s + r.price!.amount!, 0);
            expect(l.limits.perProvider![id]!.amount + 1e-9).toBeGreaterThanOrEqual(own);
          }
        }
      }
  });
});
