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
 * Ranks a provider's paid items — never judged first, then the oldest live verdict; ties by the seed — and spreads
 * them over nights: the default generation every night, then as many items as `room` (the money a night has for
 * paid items beyond the default generation) holds, in rank order (a dear item that does not fit lets cheaper ones
 * through). Without a room (no budget), one paid item a night. Pure and deterministic.
 */
export function rotatePaid(
  items: PaidItem[],
  opts: { judged: Record<string, string>; night: number; seed: number; room?: number },
): RotatedItem[] {
  const lastOf = (it: PaidItem) => {
    const times = it.checks.map((c) => opts.judged[c]);
    return times.some((t) => t === undefined) ? undefined : times.sort()[0];
  };
  const out: RotatedItem[] = [];
  const rest: (RotatedItem & { key: string })[] = [];
  for (const it of items) {
    const r: RotatedItem = { ...it, lastJudged: lastOf(it), state: 'due' };
    if (it.id === DEFAULT_TASK) out.push({ ...r, state: 'picked', night: opts.night });
    else rest.push({ ...r, key: `${r.lastJudged ?? ''}\u0000${seeded(opts.seed, it.id)}` });
  }
  rest.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const price = (it: PaidItem) => it.price.amount ?? Number.POSITIVE_INFINITY;
  const ranked: RotatedItem[] = rest.map(({ key: _k, ...it }) => it);
  let pending = ranked;
  for (const it of pending.filter((x) => opts.room !== undefined && price(x) > opts.room!))
    Object.assign(it, { state: 'over-budget', needs: price(it) });
  pending = pending.filter((x) => x.state === 'due');
  // without a budget tonight holds the default generation alone: the rotation starts tomorrow
  for (let night = opts.night + (opts.room === undefined ? 1 : 0); pending.length; night++) {
    let left = opts.room ?? Number.POSITIVE_INFINITY;
    let taken = 0;
    for (const it of pending) {
      if (opts.room === undefined ? taken >= 1 : price(it) > left + 1e-9) continue;
      left -= price(it);
      taken += 1;
      it.night = night;
      if (night === opts.night && opts.room !== undefined) it.state = 'picked';
    }
    pending = pending.filter((x) => x.night === undefined);
  }
  return [...out, ...ranked];
}

/** A stable pseudo-random order key for an item under a seed (the tie-break when the history cannot tell). */
function seeded(seed: number, id: string): string {
  return createHash('sha256').update(`${seed}\u0000${id}`).digest('hex').slice(0, 12);
}

/** What a report says of a paid item not sent tonight. */
export function notTonightText(it: RotatedItem, night: number): string {
  if (it.state === 'over-budget')
    return `paid, skipped for budget: one generation costs ${it.needs} — more than a night's budget holds after the default generation`;
  const inNights = (it.night ?? night) - night;
  return `paid, skipped for budget: due on night ${it.night} (in ${inNights} night${inNights === 1 ? '' : 's'})`;
}
