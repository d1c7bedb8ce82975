import { createHash } from 'node:crypto';
import { DEFAULT_TASK, type PaidItem } from '../checks/spend-class.ts';
import type { HistoryLine } from '../report/history-line.ts';

/** A paid item in tonight's plan: picked, due on a later night, or dearer than a night's budget can ever hold. */
export interface RotatedItem extends PaidItem {
  /** when one of its checks was last judged on a live run (ISO), or never */
  lastJudged?: string;
  state: 'picked' | 'due' | 'over-budget';
  /** picked: tonight; due: the night it is planned for (nights counted from this provider's first live run) */
  night?: number;
  /** over-budget: the nightly budget that would hold it */
  needs?: number;
}

/**
 * When each check of a provider was last judged live (any status but skip), from the history: the coverage age.
 * Keys are check ids.
 */
export function lastJudgedLive(history: HistoryLine[], provider: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of history) {
    if (line.target !== 'live') continue;
    for (const [key, c] of Object.entries(line.checks ?? {})) {
      const [p, id] = key.split(' ');
      if (p !== provider || !id || c.status === 'skip') continue;
      if (!out[id] || out[id]! < line.startedAt) out[id] = line.startedAt;
    }
  }
  return out;
}

/** Tonight's night number for a provider: its live runs in the history, plus one. */
export function nightNumber(history: HistoryLine[], provider: string): number {
  return history.filter((l) => l.target === 'live' && l.providers.includes(provider)).length + 1;
}

/**
 * Ranks a provider's paid items — never judged first (the default generation first among them: it judges the most),
 * then the oldest live verdict; ties by the seed — and spreads them over nights: each night takes, in rank order,
 * every item the rest of `room` (the night's budget) still holds, so a dear item that does not fit lets cheaper ones
 * through. An item dearer than a whole night is over budget. Without a room (no --budget) a night is the default
 * generation alone, and the due nights assume one more paid item a night. Pure and deterministic.
 */
export function rotatePaid(
  items: PaidItem[],
  opts: { judged: Record<string, string>; night: number; seed: number; room?: number },
): RotatedItem[] {
  // an item's generation happened when any of its checks was last judged
  const lastOf = (it: PaidItem) =>
    it.checks
      .map((c) => opts.judged[c])
      .filter((t): t is string => t !== undefined)
      .sort()
      .at(-1);
  const keyOf = (it: RotatedItem) =>
    `${it.lastJudged ?? ''}\u0000${it.id === DEFAULT_TASK ? '' : seeded(opts.seed, it.id)}`;
  const ranked = items
    .map((it): RotatedItem & { key?: string } => ({ ...it, lastJudged: lastOf(it), state: 'due' }))
    .map((it) => ({ ...it, key: keyOf(it) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ key: _k, ...it }): RotatedItem => it);
  const price = (it: PaidItem) => it.price.amount ?? Number.POSITIVE_INFINITY;
  if (opts.room === undefined) {
    // tonight: the default generation alone; later nights one paid item each, in rank order
    const rest = ranked.filter((it) => it.id !== DEFAULT_TASK);
    for (const [i, it] of rest.entries()) it.night = opts.night + 1 + i;
    const first = ranked.find((it) => it.id === DEFAULT_TASK);
    if (first) Object.assign(first, { state: 'picked', night: opts.night });
    return ranked;
  }
  for (const it of ranked.filter((x) => price(x) > opts.room! + 1e-9))
    Object.assign(it, { state: 'over-budget', needs: price(it) });
  let pending = ranked.filter((x) => x.state === 'due');
  for (let night = opts.night; pending.length; night++) {
    let left = opts.room;
    for (const it of pending) {
      if (price(it) > left + 1e-9) continue;
      left -= price(it);
      it.night = night;
      if (night === opts.night) it.state = 'picked';
    }
    pending = pending.filter((x) => x.night === undefined);
  }
  return ranked;
}

/** A stable pseudo-random order key for an item under a seed (the tie-break when the history cannot tell). */
function seeded(seed: number, id: string): string {
  return createHash('sha256').update(`${seed}\u0000${id}`).digest('hex').slice(0, 12);
}

/** What a report says of a paid item not sent tonight. */
export function notTonightText(it: RotatedItem, night: number): string {
  if (it.state === 'over-budget')
    return `paid, skipped for budget: its one generation costs ${it.needs}, more than a night's budget`;
  const inNights = (it.night ?? night) - night;
  return `paid, skipped for budget: due on night ${it.night} (in ${inNights} night${inNights === 1 ? '' : 's'})`;
}
