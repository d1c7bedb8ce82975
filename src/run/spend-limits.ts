import type { LedgerLimits, Money } from '../core/spend-ledger.ts';
import type { PlannedRequest, SpendPlan } from './plan-spend.ts';
import { shardFamilies, shardSuiteFiles } from './suite-families.ts';

const round4 = (n: number) => Math.round(n * 10000) / 10000;
/** rounded down: the shards' parts never add up to more than the money they split */
const floor4 = (n: number) => Math.floor(n * 10000 + 1e-6) / 10000;

/** What the workers' ledger holds this run (or a shard of it) to: the run-wide budget and per-provider limits. */
export interface SpendLimits {
  budget?: Money;
  limits: Omit<LedgerLimits, 'riskyPhaseUntil' | 'holdWaitMs'>;
}

/**
 * Tonight's plan as ledger limits. Unsharded: each provider its budget (plus what its saved-for picks draw from the
 * bank), the run-wide budget plus all the night's draws, every earmark and every risky price. A shard (`i/n`) sends
 * only the creates of its own suite files, and the budgets are the whole run's, not each shard's: it holds each
 * budget's part for its files (see shardPart) — so n shards together never spend past the budget — and the earmarks
 * and risky prices of its own files (its paid creates wait for its own risky creates, never for another shard's).
 */
export function spendLimits(plan: SpendPlan, total: Money | undefined, shard?: string): SpendLimits {
  const wholeTotal = total && { ...total, amount: round4(total.amount + drawnIn(plan, total.currency)) };
  const mine = shard ? shardFamilies(shard) : undefined;
  const inMine = (r: PlannedRequest) => !mine || mine.has(r.family);
  const part = (pool: Money, providers: (p: string) => boolean): Money =>
    shard ? { ...pool, amount: shardPart(plan, pool.amount, providers, shard) } : pool;
  const perProvider: Record<string, Money> = {};
  for (const n of plan.nights)
    if (n.budget)
      perProvider[n.provider] = part(
        { ...n.budget, amount: round4(n.budget.amount + n.fromBank) },
        (p) => p === n.provider,
      );
  // without --allow-paid: a budget caps each provider's risky creates (the only creates sent)
  for (const [provider, budget] of Object.entries(plan.riskyBudgets ?? {}))
    perProvider[provider] = part(budget, (p) => p === provider);
  const sentHere = (provider: string, item: string) =>
    plan.requests.some((r) => r.provider === provider && r.purpose === item && inMine(r));
  return {
    ...(wholeTotal ? { budget: part(wholeTotal, (p) => pricedIn(plan, p, wholeTotal.currency)) } : {}),
    limits: {
      perProvider,
      ...(plan.riskyRefused ? { riskyRefused: plan.riskyRefused } : {}),
      earmarks: Object.fromEntries(
        plan.nights.map((n) => [
          n.provider,
          Object.fromEntries(Object.entries(n.earmarks).filter(([item]) => sentHere(n.provider, item))),
        ]),
      ),
      riskyPlan: Object.fromEntries(
        plan.nights.map((n) => {
          // a shard: its part of the night, less the picks its files send, is what its risky creates meet
          const held = Object.entries(n.earmarks).reduce((s, [item, a]) => s + (sentHere(n.provider, item) ? a : 0), 0);
          const room = shard && perProvider[n.provider] ? round4(perProvider[n.provider]!.amount - held) : undefined;
          return [
            n.provider,
            riskyPlanOf(plan, n.provider, inMine, room === undefined ? undefined : { room, shard: shard! }),
          ];
        }),
      ),
    },
  };
}

/** A provider's risky creates by key (see planRisky): the price of each the plan sends, why it does not send others. */
function riskyPlanOf(
  plan: SpendPlan,
  provider: string,
  inMine: (r: PlannedRequest) => boolean,
  part?: { room: number; shard: string },
) {
  const send: Record<string, number> = {};
  const notSent: Record<string, string> = {};
  for (const r of plan.requests) {
    if (r.provider !== provider || r.purpose !== 'risky' || !r.key || !inMine(r)) continue;
    const amount = r.price?.amount ?? 0;
    const why = r.notSent ?? (part && amount > part.room + 1e-9 ? shardRoomText(r, part) : undefined);
    if (why) notSent[r.key] = why;
    else send[r.key] = amount;
  }
  return { send, notSent };
}

/** "not in shard 1/2: if wrongly accepted it could cost 0.75 USD; its part of the night leaves 0.5 USD beside…" */
const shardRoomText = (r: PlannedRequest, part: { room: number; shard: string }) =>
  `not in shard ${part.shard}: if wrongly accepted it could cost ${r.price?.amount} ${r.price?.currency}, and this ` +
  `shard's part of ${r.provider}'s night leaves ${part.room} ${r.price?.currency} beside its picks ` +
  '(an unsharded run sends it)';

/** What tonight's saved-for picks draw from the bank, over the providers budgeted in this currency. */
const drawnIn = (plan: SpendPlan, currency: string) =>
  plan.nights.filter((n) => n.budget?.currency === currency).reduce((s, n) => s + n.fromBank, 0);

/** A provider's creates are priced in the currency (its night's budget's; without a night, its requests'). */
const pricedIn = (plan: SpendPlan, provider: string, currency: string) =>
  plan.requests.some((r) => r.provider === provider && r.price?.currency === currency);

/**
 * A shard's part of a budget (`pool`, over the providers `counts` selects): the documented price of the paid picks
 * its suite files send, plus a part of what the picks leave for risky creates, in proportion to what each shard needs
 * free to send its risky creates one after another (per provider the dearest one that what the picks leave could
 * hold: the ones an unsharded run could send). Every shard reads the same plan, so the parts add up to the budget at
 * most; a shard with no risky create gets its picks alone.
 */
export function shardPart(plan: SpendPlan, pool: number, counts: (p: string) => boolean, shard: string): number {
  const [i, n] = shard.split('/').map(Number) as [number, number];
  const creates = Array.from({ length: n }, (_, k) => {
    const families = shardFamilies(`${k + 1}/${n}`);
    return plan.requests.filter((r) => counts(r.provider) && families.has(r.family) && r.cost !== 'free');
  });
  const picks = creates.map((rs) => sumOf(rs.filter((r) => r.purpose !== 'risky' && r.cost === 'billable')));
  const left = Math.max(0, pool - picks.reduce((s, a) => s + a, 0));
  const needs = creates.map((rs) => {
    const dearest = new Map<string, number>();
    for (const r of rs.filter((x) => x.purpose === 'risky' && (x.price?.amount ?? 0) <= left + 1e-9))
      dearest.set(r.provider, Math.max(dearest.get(r.provider) ?? 0, r.price?.amount ?? 0));
    return [...dearest.values()].reduce((s, a) => s + a, 0);
  });
  const need = needs.reduce((s, a) => s + a, 0);
  return floor4(picks[i - 1]! + (need > 0 ? (left * needs[i - 1]!) / need : 0));
}

const sumOf = (rs: PlannedRequest[]) => rs.reduce((s, r) => s + (r.price?.amount ?? 0), 0);

/** "shard 1/2 (boundary.suite, requests.suite) holds: the budget 0.5 of 1 USD; evolink 0.5 of 1 USD" */
export function shardText(shard: string, whole: SpendLimits, part: SpendLimits): string {
  const of = (name: string, p: Money | undefined, w: Money | undefined) =>
    p && w ? [`${name} ${p.amount} of ${w.amount} ${w.currency}`] : [];
  const holds = [
    ...of('the run-wide budget', part.budget, whole.budget),
    ...Object.entries(part.limits.perProvider ?? {}).flatMap(([id, p]) => of(id, p, whole.limits.perProvider?.[id])),
  ];
  return `shard ${shard} (${shardSuiteFiles(shard).join(', ')}) holds its part of each budget: ${holds.join('; ')}`;
}
