// Tonight's plan of risky creates is what the run does: the dry run says which are sent and why the rest are not
// (never at this budget, with the budget that would run them), and the ledger, given the plan, sends exactly those —
// whatever order the workers reserve in, and however often noise makes a check send a create again.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpendLedger } from '../core/spend-ledger.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { planJson } from '../cli/commands/render-plan.ts';
import { planSpend, type PlannedRequest, type SpendPlan } from './plan-spend.ts';
import { spendLimits } from './spend-limits.ts';

const EVOLINK = 'evolink-kling-v3-t2v';
const FAL = 'fal-kling-v3-standard-t2v';
const USD = (amount: number) => ({ amount, currency: 'USD' });

/** The newcomer's nightly: both providers, 1 USD each, --allow-paid (optionally a check selection). */
const newcomerPlan = async (excludeChecks?: string[]) =>
  planSpend(await Promise.all([EVOLINK, FAL].map((id) => loadSpecById(id))), {
    baseUrls: {},
    allowPaid: true,
    seed: 1,
    budgets: { perProvider: { [EVOLINK]: USD(1), [FAL]: USD(1) } },
    ...(excludeChecks ? { selection: { excludeChecks } } : {}),
  });

const risky = (p: SpendPlan, provider: string) =>
  p.requests.filter((r) => r.provider === provider && r.purpose === 'risky');
const keyOf = (r: PlannedRequest) => `${r.provider} ${r.key}`;

/**
 * A run's ledger given tonight's plan, with the workers at their worst: every paid create held for from the start
 * reserved first (the default generation and the earmarked picks), then each risky create — twice, as a check sent
 * again after noise would — released when rejected, then the other picks. Answers the risky creates it let through.
 */
async function executed(p: SpendPlan): Promise<Set<string>> {
  const limits = spendLimits(p, undefined);
  const ledger = new SpendLedger(join(tempFolder('kc-risky-plan-'), 'ledger.jsonl'), limits.budget, {
    ...limits.limits,
    holdWaitMs: 0,
  });
  let n = 0;
  const reserve = async (r: PlannedRequest) => {
    const id = `c${(n += 1)}`;
    const entry = { id, provider: r.provider, amount: r.price?.amount ?? 0, currency: 'USD', key: r.key };
    const ok = (await ledger.reserve({ ...entry, purpose: r.purpose })).ok;
    if (ok && r.purpose === 'risky') ledger.append({ kind: 'release', ...entry });
    return ok;
  };
  const earmarked = (r: PlannedRequest) => r.purpose! in (limits.limits.earmarks?.[r.provider] ?? {});
  const paid = p.requests.filter((x) => x.cost === 'billable');
  for (const r of paid.filter(earmarked)) await reserve(r);
  const sent = new Set<string>();
  for (const r of p.requests.filter((x) => x.purpose === 'risky'))
    for (const _ of [1, 2]) if (await reserve(r)) sent.add(keyOf(r));
  for (const r of paid.filter((x) => !earmarked(x))) expect(await reserve(r)).toBe(true);
  return sent;
}

describe("tonight's risky creates", () => {
  it('the dry run says which are sent; one whose worst case never fits says so, and what would', async () => {
    const p = await newcomerPlan();
    const fal = risky(p, FAL);
    // fal's default generation (0.63 USD) is held from the start: a 0.63 USD risky create never fits 1 USD beside it
    const prompt = fal.find((r) => r.check === 'reject.prompt_missing')!;
    expect(prompt.notSent).toBe(
      "never at this budget: if wrongly accepted it could cost 0.63 USD, beside the default generation's 0.63 USD: " +
        `that needs a nightly budget of 1.26 USD (${FAL}'s is 1 USD); fix: --budget ${FAL}=1.26USD to run it`,
    );
    const quality = risky(p, EVOLINK).find((r) => r.check === 'reject.enum.quality')!;
    expect(quality.notSent).toContain('never at this budget: if wrongly accepted it could cost 2.25 USD');
    expect(quality.notSent).toContain(`fix: --budget ${EVOLINK}=2.625USD`);
    // a create that fits is sent, and the night's count is of those sent
    expect(risky(p, EVOLINK).find((r) => r.check === 'reject.prompt_missing')!.notSent).toBeUndefined();
    const night = p.nights.find((n) => n.provider === FAL)!;
    expect(night.riskyPlanned).toBe(fal.filter((r) => !r.notSent).length);
    expect(night.riskyNever).toBe(fal.filter((r) => r.notSent).length);
    // --json: each row says whether it is sent
    const rows = planJson(p, 'live').requests.filter((r) => r.provider === FAL && r.check === 'reject.prompt_missing');
    expect(rows).toEqual([
      expect.objectContaining({ sent: false, notSent: prompt.notSent, key: 'reject.prompt_missing' }),
    ]);
  });

  it("the run's ledger sends exactly the risky creates the dry run lists as sent, whatever the order", async () => {
    for (const exclude of [undefined, ['boundary.*']]) {
      const p = await newcomerPlan(exclude);
      const planned = new Set(p.requests.filter((r) => r.purpose === 'risky' && !r.notSent).map(keyOf));
      expect(planned.size).toBeGreaterThan(0);
      expect(await executed(p)).toEqual(planned);
    }
  });

  it('each boundary create is named by its rule and case, not "boundary (all rules)"', async () => {
    const p = await newcomerPlan();
    const boundary = p.requests.filter((r) => r.family === 'boundary');
    expect(boundary.every((r) => r.check.startsWith('boundary.') && r.case?.id && r.case.note)).toBe(true);
    // fal's two type.wrong cases: the 1555.47 USD one and a 0.63 USD one are told apart by their case
    const dear = boundary.find((r) => r.provider === FAL && r.price?.amount === 1555.47)!;
    expect(dear.check).toBe('boundary.type.wrong');
    const cheap = boundary.filter((r) => r.provider === FAL && r.check === dear.check && r.price?.amount !== 1555.47);
    expect(cheap.length).toBeGreaterThan(0);
    expect(cheap.map((r) => r.case!.id)).not.toContain(dear.case!.id);
    const json = planJson(p, 'live').requests.find((r) => r.price?.amount === 1555.47)!;
    expect(json.case).toEqual(dear.case);
  });

  it('a risky create sent again after noise never stands for another: the paid create still waits for it', async () => {
    // 1 USD: the default generation (0.375) held; two risky creates of 0.375 planned (a, b); a paid 0.375 create
    // would leave no room for b. a is sent twice (noise): b is still to come, so the paid create waits for it
    const ledger = new SpendLedger(join(tempFolder('kc-risky-noise-'), 'ledger.jsonl'), undefined, {
      perProvider: { p: USD(1) },
      earmarks: { p: { 'default-task': 0.375 } },
      riskyPrices: { p: [0.375, 0.375] },
      riskyPlan: { p: { send: { a: 0.375, b: 0.375 }, notSent: {} } },
      riskyPhaseUntil: Date.now() + 600_000,
    });
    const hold = (id: string, purpose: string, key?: string) =>
      ({ id, provider: 'p', purpose, amount: 0.375, currency: 'USD', ...(key ? { key } : {}) }) as const;
    for (const id of ['a1', 'a2']) {
      expect(await ledger.reserve(hold(id, 'risky', 'a'))).toEqual({ ok: true });
      ledger.append({ kind: 'release', id, provider: 'p', amount: 0.375, currency: 'USD' });
    }
    const paid = ledger.reserve(hold('p1', 'boundary.x'));
    const atOnce = await Promise.race([paid.then(() => true), new Promise((r) => setTimeout(() => r(false), 120))]);
    expect(atOnce).toBe(false);
    expect(await ledger.reserve(hold('b1', 'risky', 'b'))).toEqual({ ok: true });
    ledger.append({ kind: 'release', id: 'b1', provider: 'p', amount: 0.375, currency: 'USD' });
    expect(await paid).toEqual({ ok: true });
  });

  it('a refusal says what holds the money, or that the create alone costs more than the budget', async () => {
    const ledger = new SpendLedger(join(tempFolder('kc-risky-why-'), 'ledger.jsonl'), undefined, {
      perProvider: { p: USD(0.6), q: USD(1) },
      earmarks: { q: { 'default-task': 0.63 } },
    });
    const create = (provider: string, amount: number) =>
      ledger.reserve({ id: `${provider}${amount}`, provider, purpose: 'risky', amount, currency: 'USD' });
    expect(await create('p', 0.63)).toEqual({
      ok: false,
      why: "this create alone could cost 0.63 if billed, more than p's budget of 0.6 USD",
    });
    expect(await create('q', 0.63)).toEqual({
      ok: false,
      why:
        "q's budget of 1 USD cannot hold this create (it could cost 0.63 if billed): 0.63 held for the planned q " +
        'default-task not sent yet',
    });
  });
});
