import type { LedgerEntry } from './spend-ledger.ts';

// What the ledger's lines add up to: money committed and in flight, and the planned risky creates not met yet.

/** Spent or held in this currency by the providers `counts` selects (reserves minus releases). */
export function committedOf(entries: LedgerEntry[], counts: (provider: string) => boolean, currency: string): number {
  let sum = 0;
  for (const e of entries) {
    if (!counts(e.provider) || (e.kind !== 'reserve' && e.kind !== 'release') || e.currency !== currency) continue;
    sum += e.kind === 'reserve' ? e.amount : -e.amount;
  }
  return sum;
}

/** Held by the creates in flight (reserved, not yet settled) of the providers `counts` selects, in this currency. */
export function inFlightOf(entries: LedgerEntry[], counts: (provider: string) => boolean, currency: string): number {
  const settled = new Set(entries.filter((e) => e.kind !== 'reserve').map((e) => e.id));
  return entries
    .filter((e) => e.kind === 'reserve' && !settled.has(e.id) && counts(e.provider) && e.currency === currency)
    .reduce((s, e) => s + (e as { amount: number }).amount, 0);
}

/** The entries without the holds whose create has not settled yet (no release, task or unanswered line after them). */
export function withoutInFlight(entries: LedgerEntry[]): LedgerEntry[] {
  const settled = new Set(entries.filter((e) => e.kind !== 'reserve').map((e) => e.id));
  return entries.filter((e) => e.kind !== 'reserve' || settled.has(e.id));
}

/** The planned risky prices of a provider not yet met by a risky create of its own (reserved or held back). */
export function pendingRisky(planned: number[], entries: LedgerEntry[], provider: string): number[] {
  const pending = [...planned];
  for (const e of entries) {
    if (!pending.length) break;
    if (e.provider !== provider || !isRiskyStart(e)) continue;
    const i = pending.findIndex((amount) => Math.abs(amount - e.amount) < 1e-9);
    // a risky create the plan priced otherwise stands for the cheapest still to come (the dearer ones still wait)
    pending.splice(i >= 0 ? i : pending.indexOf(Math.min(...pending)), 1);
  }
  return pending;
}

/** The planned risky creates of a provider (key → price) not yet met by a risky create with their key. */
export function pendingByKey(planned: Record<string, number>, entries: LedgerEntry[], provider: string): number[] {
  const met = new Set(entries.flatMap((e) => (e.provider === provider && isRiskyStart(e) && e.key ? [e.key] : [])));
  return Object.entries(planned).flatMap(([key, amount]) => (met.has(key) ? [] : [amount]));
}

export const isRiskyStart = (e: LedgerEntry): e is Extract<LedgerEntry, { kind: 'reserve' | 'held-back' }> =>
  (e.kind === 'reserve' && e.purpose === 'risky') || e.kind === 'held-back';
