import { createHash } from 'node:crypto';
import { DEFAULT_TASK, OWN_GENERATION, type PaidItem } from '../checks/spend-class.ts';
import type { HistoryLine } from '../report/history-line.ts';
import { shardCount } from '../report/history-nights.ts';

/** A paid item in tonight's plan: picked, due on a later night, or one the budget can never hold. */
export interface RotatedItem extends PaidItem {
  /** when it was last judged on a live run (ISO), or never */
  lastJudged?: string;
  state: 'picked' | 'due' | 'over-budget' | 'capped';
  /** picked: tonight; due: the night it is planned for (nights counted from this provider's first live run) */
  night?: number;
  /** over-budget: the nightly budget that would hold it */
  needs?: number;
  /** dearer than what a night holds beside the default generation: saved for, paid partly from the bank */
  savedFor?: boolean;
  /** picked or due from the bank: how much of its price the bank pays, and the nights that banked it */
  fromBank?: { amount: number; nights: [number, number] };
}

/** How many past nights' unspent money the bank holds. */
export const BANK_NIGHTS = 7;
/** the furthest a plan looks ahead: an item not placed by then is over budget */
const HORIZON = 366;
const EPS = 1e-9;

/**
 * When each paid item was last judged live: the last night that picked it and judged one of its checks (any status
 * but skip); for a night whose history line predates recorded picks, the last verdict of any of its checks (an
 * explicit-setting video, one of several sharing their check, is judged by picks alone).
 */
export function lastJudgedItems(history: HistoryLine[], provider: string, items: PaidItem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of history) {
    if (line.target !== 'live') continue;
    const picked = line.paid?.[provider]?.picked;
    const judged = (c: string) => (line.checks?.[`${provider} ${c}`]?.status ?? 'skip') !== 'skip';
    for (const it of items) {
      const byPicks = picked !== undefined || it.id.startsWith(`${OWN_GENERATION}/`);
      if (byPicks && !picked?.includes(it.id)) continue;
      if (it.checks.some(judged) && (!out[it.id] || out[it.id]! < line.startedAt)) out[it.id] = line.startedAt;
    }
  }
  return out;
}

/** Tonight's night number for a provider: its live nights in the history (a sharded night once), plus one. */
export function nightNumber(history: HistoryLine[], provider: string): number {
  return pastNights(history, provider).length + 1;
}

/** One past night of a provider: what it left unspent, and why it counts as nothing left when it does. */
export interface PastNight {
  night: number;
  amount: number;
  /** a sharded night with a part missing from the history: read as one that left nothing unspent */
  note?: string;
}

/**
 * Each past night's unspent money for a provider: its budget less its spend (negative where it drew on the bank). The
 * lines of a sharded night (one `shard.runId`) are one night: its budget once (the least the lines state), its spend
 * the sum of theirs. A night with a part missing could have spent anything in that part: it banks nothing (at most
 * what its present parts overspent), saying so.
 */
export function pastNights(history: HistoryLine[], provider: string): PastNight[] {
  const nights = new Map<string, HistoryLine[]>();
  for (const [i, l] of history.entries())
    if (l.target === 'live' && l.providers.includes(provider)) {
      const key = l.shard ? `run ${l.shard.runId}` : `line ${i}`;
      nights.set(key, [...(nights.get(key) ?? []), l]);
    }
  return [...nights.values()].map((lines, i) => {
    const paid = lines.flatMap((l) => (l.paid?.[provider] ? [l.paid[provider]] : []));
    const budgets = paid.flatMap((p) => (p.budget !== undefined ? [p.budget] : []));
    if (!budgets.length) return { night: i + 1, amount: 0 };
    const left = round(Math.min(...budgets) - paid.reduce((s, p) => s + p.spent, 0));
    const missing = shardCount(lines)?.problem;
    if (!missing) return { night: i + 1, amount: left };
    const note = `night ${i + 1} (run ${lines[0]!.shard!.runId}): ${missing}, counted as having left nothing unspent`;
    return { night: i + 1, amount: Math.min(0, left), note };
  });
}

/** Each past night's unspent money for a provider (see pastNights). */
export function pastUnspent(history: HistoryLine[], provider: string): { night: number; amount: number }[] {
  return pastNights(history, provider).map(({ night, amount }) => ({ night, amount }));
}

/** The bank before a night: the unspent money of the last BANK_NIGHTS nights (never below zero), and who banked it. */
export function bankOf(unspent: { night: number; amount: number }[]): { amount: number; nights?: [number, number] } {
  const window = unspent.slice(-BANK_NIGHTS);
  const amount = round(
    Math.max(
      0,
      window.reduce((s, u) => s + u.amount, 0),
    ),
  );
  const givers = window.filter((u) => u.amount > EPS).map((u) => u.night);
  return givers.length ? { amount, nights: [givers[0]!, givers.at(-1)!] } : { amount };
}

export interface RotateOptions {
  /** item id → when it was last judged live (see lastJudgedItems) */
  judged: Record<string, string>;
  night: number;
  seed: number;
  /** the night's budget; none: one generation a night */
  room?: number;
  /** past nights' unspent money, oldest first (see pastUnspent); none or carryOver false: no bank */
  unspent?: { night: number; amount: number }[];
  carryOver?: boolean;
  /** the most tonight may draw from the bank (what the monthly cap leaves above tonight's budget) */
  bankCap?: number;
}

/**
 * Ranks a provider's paid items — never judged first (the default generation first among them: it judges the most),
 * then the oldest live verdict; ties by the seed — and spreads them over nights. Pure and deterministic: the night an
 * item is announced for is the night it runs, given the same budget and verdicts (an item judged tonight ranks after
 * every item not yet placed, the default generation included, so the order of what waits never changes).
 * - With a budget: each night takes, in rank order, every item the rest of its budget holds (a dear item that does
 *   not fit lets cheaper ones through). An item dearer than a night's whole budget is saved for: each night banks
 *   what it leaves unspent (the last BANK_NIGHTS nights' worth), and the item runs on the first night its budget plus
 *   the bank covers it; until then the night spends nothing on items ranked after it. Without carry-over (or dearer
 *   than the bank can ever hold) such an item is over budget, with the nightly budget that would hold it.
 * - Without a budget: one generation a night, the first in rank order (the default generation on the first night),
 *   so every paid item comes round, the default generation among them.
 */
export function rotatePaid(items: PaidItem[], opts: RotateOptions): RotatedItem[] {
  const keyOf = (it: RotatedItem) =>
    `${it.lastJudged ?? ''}\u0000${it.id === DEFAULT_TASK ? '' : seeded(opts.seed, it.id)}`;
  const ranked = items
    .map((it): RotatedItem => ({ ...it, lastJudged: opts.judged[it.id], state: 'due' }))
    .map((it) => ({ it, key: keyOf(it) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ it }) => it);
  if (opts.room === undefined) {
    for (const [i, it] of ranked.entries()) Object.assign(it, { night: opts.night + i, state: i ? 'due' : 'picked' });
    return ranked;
  }
  spreadOverNights(ranked, { ...opts, room: opts.room });
  return ranked;
}

const priceOf = (it: PaidItem) => it.price.amount ?? Number.POSITIVE_INFINITY;

/** Places the ranked items night by night within a night's budget and, for a saved-for item, the bank. */
function spreadOverNights(ranked: RotatedItem[], opts: RotateOptions & { room: number }): void {
  const free = opts.room;
  const carry = opts.carryOver !== false && opts.unspent !== undefined;
  for (const it of ranked) {
    it.savedFor = priceOf(it) > free + EPS;
    // the bank holds at most BANK_NIGHTS nights of `free`: dearer than that (or no bank) it can never run
    if (it.savedFor && (!carry || priceOf(it) > free * (BANK_NIGHTS + 1) + EPS))
      Object.assign(it, { state: 'over-budget', needs: priceOf(it) });
  }
  const unspent = [...(opts.unspent ?? [])];
  let pending = ranked.filter((it) => it.state === 'due');
  for (let night = opts.night; pending.length && night < opts.night + HORIZON; night++) {
    const bank = bankOf(unspent);
    let banked = night === opts.night ? Math.min(bank.amount, opts.bankCap ?? Number.POSITIVE_INFINITY) : bank.amount;
    let left = free;
    let drawn = 0;
    for (const it of pending) {
      const p = priceOf(it);
      if (!it.savedFor && p <= left + EPS) left = place(it, night, opts.night, left - p);
      else if (it.savedFor && p <= left + banked + EPS) {
        const draw = round(p - left);
        it.fromBank = { amount: draw, nights: bank.nights ?? [night, night] };
        (drawn += draw), (banked -= draw);
        left = place(it, night, opts.night, 0);
      } else if (it.savedFor) break;
    }
    unspent.push({ night, amount: round(left - drawn) });
    pending = pending.filter((it) => it.night === undefined);
  }
  for (const it of pending) Object.assign(it, { state: 'over-budget', needs: priceOf(it) });
}

function place(it: RotatedItem, night: number, tonight: number, left: number): number {
  it.night = night;
  if (night === tonight) it.state = 'picked';
  return round(left);
}

/** A stable pseudo-random order key for an item under a seed (the tie-break when the history cannot tell). */
function seeded(seed: number, id: string): string {
  return createHash('sha256').update(`${seed}\u0000${id}`).digest('hex').slice(0, 12);
}

const round = (n: number) => Math.round(n * 10000) / 10000;

/** "0.5 USD banked on nights 2–4" */
export function bankText(it: RotatedItem): string {
  const b = it.fromBank!;
  const [a, z] = b.nights;
  return `${b.amount} ${it.price.currency} banked on night${a === z ? ` ${a}` : `s ${a}–${z}`}`;
}

/** What a report says of a paid item not sent tonight. */
export function notTonightText(it: RotatedItem, night: number, carryOver = true): string {
  const price = `${it.price.amount} ${it.price.currency}`;
  if (it.state === 'over-budget')
    return carryOver
      ? `paid, skipped for budget: its one generation costs ${price}, more than a week of banked nights holds; ` +
          `a nightly budget of ${it.needs} ${it.price.currency} would run it`
      : `paid, skipped for budget: its one generation costs ${price}, more than a night's budget; it can never ` +
          `run at this budget without carry-over — a nightly budget of ${it.needs} ${it.price.currency} would run it`;
  const inNights = (it.night ?? night) - night;
  const when = `due on night ${it.night} (in ${inNights} night${inNights === 1 ? '' : 's'})`;
  return it.fromBank
    ? `paid, saved for: ${when}, its ${price} paid partly from ${bankText(it)}`
    : `paid, skipped for budget: ${when}`;
}
