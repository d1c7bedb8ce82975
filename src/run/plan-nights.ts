/** Each provider's nights: its paid items ranked and spread over nights, its budget tonight, what the bank holds. */
import { DEFAULT_TASK, paidItems, type PaidItem, type PaidPicks } from '../checks/spend-class.ts';
import type { CheckDefinition } from '../checks/types.ts';
import type { Money } from '../core/spend-ledger.ts';
import type { HistoryLine } from '../report/history-line.ts';
import {
  lastJudgedItems,
  BANK_NIGHTS,
  bankOf,
  nightNumber,
  notTonightText,
  pastNights,
  rotatePaid,
  type RotatedItem,
} from './rotate-paid.ts';
import { HarnessError } from '../core/errors.ts';
import { shareRunWide } from './run-wide-cap.ts';
import { refusing, throwAll, type Refusal } from './budget-refusals.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { Budgets, ProviderNight } from './plan-spend.ts';
import { assertPriced, budgetOf, round } from './provider-budget.ts';
import { counted } from '../core/plural.ts';

/** What a provider's night starts from: its paid items, its night number and its own budget (before the cap). */
interface NightStart {
  spec: ProviderSpec;
  items: PaidItem[];
  night: number;
  budget?: Money;
  monthLeft?: Money;
  /** the monthly cap is spent: not even the default generation fits what it leaves */
  capped: boolean;
  /** no budget of its own under a run-wide one: the other providers' own budgets its share is what the cap leaves of */
  afterOwn?: number;
}

export type NightOptions = { seed: number; budgets?: Budgets; history?: HistoryLine[]; carryOver?: boolean };

/**
 * Every provider's paid night: its own budget (its own, else its share of the run's, within what the month has
 * left), then what the run-wide budget leaves it (see shareRunWide), and its picks fitted to that.
 */
export function planNights(
  specs: { spec: ProviderSpec; defs: CheckDefinition[] }[],
  o: NightOptions,
  refusals: Refusal[],
): ProviderNight[] {
  const ids = specs.map(({ spec }) => spec.id);
  // every provider's refusal is collected (the run-wide currency ones too): one error names them all
  const starts = specs.flatMap(({ spec, defs }) =>
    refusals.some((r) => r.provider === spec.id)
      ? []
      : (refusing(refusals, spec.id, () => [startNight(spec, defs, { ...o, providers: ids })]) ?? []),
  );
  throwAll(refusals);
  const cap = o.budgets?.total;
  const claims = starts.flatMap((s) =>
    s.budget && !s.capped ? [{ provider: s.spec.id, asked: s.budget, floor: defaultPrice(s.items) }] : [],
  );
  const left = cap ? shareRunWide(claims, cap) : {};
  return starts.map((s) =>
    s.capped ? cappedNight(s.spec.id, s.night, s.items, o.budgets!.month!) : planNight(s, o, left[s.spec.id], cap),
  );
}

/** the default generation's price; 0 where none is sent (a model documented as unavailable: only risky creates) */
const defaultPrice = (items: PaidItem[]) => items.find((it) => it.id === DEFAULT_TASK)?.price.amount ?? 0;

/**
 * A provider's own budget tonight, refused — exit 2 — only when not even the default generation fits it (a monthly
 * cap spent instead skips every paid item, saying so).
 */
function startNight(
  spec: ProviderSpec,
  defs: CheckDefinition[],
  o: NightOptions & { providers: string[] },
): NightStart {
  const all = paidItems(spec, defs, o.seed);
  const items = all.filter((it) => it.checks.length > 0);
  const night = nightNumber(o.history ?? [], spec.id);
  const { budget, monthLeft, afterOwn } = budgetOf(spec.id, o.budgets, o.providers);
  if (!budget) return { spec, items, night, capped: false };
  // the documented price says which currency the provider's creates (risky ones too) are billed in
  const price = all.find((it) => it.id === DEFAULT_TASK)!.price;
  if (o.budgets?.month) assertPriced(spec, price, o.budgets.month, '--budget-month');
  assertPriced(spec, price, budget, '--budget');
  const raise = (price: number) => raiseText(spec.id, price, budget, o.budgets!, o.providers);
  return {
    ...startBudgeted(spec, items, night, budget, monthLeft, raise),
    ...(afterOwn !== undefined ? { afterOwn } : {}),
  };
}

/**
 * Where a provider's budget came from and the flag value that would hold `price`: its own --budget, or its equal
 * share of the run-wide --budget (the run-wide amount that would give it enough, or an own budget). (A budget cut by
 * what the monthly cap leaves is never refused: a spent month skips the paid items instead.)
 */
function raiseText(
  id: string,
  price: number,
  budget: Money,
  budgets: Budgets,
  providers: string[],
): { why: string; fix: string } {
  const c = budget.currency;
  if (budgets.perProvider?.[id])
    return {
      why: `its own --budget ${id}=${budget.amount}${c}`,
      fix: `raise it to at least ${price} ${c}: --budget ${id}=${price}${c}`,
    };
  const whole = round(Math.ceil(price * providers.length * 10000) / 10000);
  return {
    why:
      `its equal share of the run-wide --budget ${budgets.total!.amount} ${c} ` +
      `(${counted(providers.length, 'provider')})`,
    fix:
      `raise the run-wide --budget to at least ${whole} ${c} (--budget ${whole}${c}: ${price} each), or replace it ` +
      'with per-provider budgets: ' +
      `--budget ${id}=${price}${c} and one for each other provider`,
  };
}

/** A budgeted night's start: refused when not even the default generation fits; capped when the month is spent. */
function startBudgeted(
  spec: ProviderSpec,
  items: PaidItem[],
  night: number,
  budget: Money,
  monthLeft: Money | undefined,
  raise: (price: number) => { why: string; fix: string },
): NightStart {
  const first = items.find((it) => it.id === DEFAULT_TASK);
  // no default generation is sent (the model is documented as unavailable): nothing paid to fit, only risky creates
  if (!first) return { spec, items, night, budget, monthLeft, capped: false };
  if (monthLeft !== undefined && monthLeft.amount < first.price.amount! - 1e-9)
    return { spec, items, night, budget, monthLeft, capped: true };
  if (first.price.amount! > budget.amount + 1e-9) {
    const { why, fix } = raise(first.price.amount!);
    throw new HarnessError(
      'BUDGET',
      `not even ${spec.id}'s one default generation fits: it costs ${first.price.amount} ${budget.currency}, ` +
        `the budget is ${budget.amount} ${budget.currency} (${why})`,
      { fix: `${fix}; or drop --allow-paid` },
    );
  }
  return { spec, items, night, budget, monthLeft, capped: false };
}

/**
 * One provider's paid night: the default generation first, room held for risky creates, and the paid items ranked by
 * coverage age and fitted to the rest — to what the run-wide budget leaves it (`left`), where less than its own
 * budget: the picks its own budget would make but the cap does not are skipped for the run-wide budget, saying so —
 * and to what earlier nights banked.
 */
function planNight(s: NightStart, o: NightOptions, left: number | undefined, cap: Money | undefined): ProviderNight {
  const history = o.history ?? [];
  const own = s.budget;
  const cut = own && left !== undefined && left < own.amount - 1e-9 ? { ...own, amount: left } : undefined;
  const budget = cut ?? own;
  // risky creates go first and meet the whole budget; the picks get what a conforming gateway leaves: all of it
  const carryOver = o.carryOver !== false;
  const past = pastNights(history, s.spec.id);
  const rotateAt = (room: number | undefined) =>
    rotatePaid(s.items, {
      judged: lastJudgedItems(history, s.spec.id, s.items),
      night: s.night,
      seed: o.seed,
      room,
      unspent: past,
      carryOver,
      bankCap: s.monthLeft ? Math.max(0, s.monthLeft.amount - (budget?.amount ?? 0)) : undefined,
    });
  const rotated = rotateAt(budget?.amount);
  const ownPicks = new Set(cut ? rotateAt(own!.amount).flatMap((it) => (it.state === 'picked' ? [it.id] : [])) : []);
  const capText = cut && `${cap!.amount} ${cap!.currency} leaves it ${cut.amount} of its ${own!.amount}`;
  const picks: PaidPicks = { picked: {}, notTonight: {} };
  const earmarks: Record<string, number> = {};
  let fromBank = 0;
  for (const it of rotated) {
    if (it.state !== 'picked') {
      const why = notTonightText(it, s.night, carryOver);
      picks.notTonight[it.id] = cut && ownPicks.has(it.id) ? runWideText(why, capText) : why;
      continue;
    }
    picks.picked[it.id] = it.caseId ?? true;
    // an item paid partly from the bank is held for from the start: no risky create may spend the bank; an unpriced
    // one (no budget can bound it) holds nothing, and does not wait for the risky creates either
    if (it.earmarked || it.fromBank) earmarks[it.id] = it.price.amount ?? 0;
    fromBank += it.fromBank?.amount ?? 0;
  }
  return {
    provider: s.spec.id,
    night: s.night,
    budget,
    ...(cut ? { ownBudget: own } : {}),
    ...(cap && budget ? { runWide: cap } : {}),
    ...(s.afterOwn !== undefined && budget ? { afterOwn: { amount: s.afterOwn, currency: budget.currency } } : {}),
    fromBank: round(fromBank),
    ...(budget && carryOver ? bankRead(past) : {}),
    items: rotated,
    picks,
    earmarks,
    riskyPlanned: 0,
    riskyPrices: [],
  };
}

/** What the bank holds before tonight, and the notes on nights read as having left nothing (a shard missing). */
function bankRead(past: ReturnType<typeof pastNights>): Pick<ProviderNight, 'banked' | 'notes'> {
  const notes = past.slice(-BANK_NIGHTS).flatMap((n) => (n.note ? [n.note] : []));
  return { banked: bankOf(past).amount, ...(notes.length ? { notes } : {}) };
}

/** "paid, skipped for the run-wide budget (1 USD leaves it 0.5 of its 0.8): due on night 2 (in 1 night)" */
const runWideText = (why: string, capText: string | undefined) =>
  why.replace(/^paid, skipped for budget/, `paid, skipped for the run-wide budget (${capText})`);

/** The monthly cap is spent (not even the default generation fits what is left): every paid item skips, saying so. */
function cappedNight(provider: string, night: number, items: PaidItem[], month: Money & { spent: number }) {
  const why = `monthly cap reached (${month.spent} of ${month.amount} ${month.currency} spent this month)`;
  const picks: PaidPicks = { picked: {}, notTonight: Object.fromEntries(items.map((it) => [it.id, why])) };
  return {
    provider,
    night,
    // nothing paid, and no risky create either: the ledger holds this provider to zero
    budget: { amount: 0, currency: month.currency },
    fromBank: 0,
    items: items.map((it): RotatedItem => ({ ...it, state: 'capped' })),
    picks,
    earmarks: {},
    riskyPlanned: 0,
    riskyPrices: [],
  };
}
