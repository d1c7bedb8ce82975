import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { appendLineAtomic } from './atomic-write.ts';
import { HarnessError } from './errors.ts';
import { committedOf, inFlightOf, pendingByKey, pendingRisky, withoutInFlight } from './ledger-sums.ts';

/** One line of the ledger: money held for a create before it is sent, released when no task came of it. */
export type LedgerEntry =
  | {
      kind: 'reserve';
      id: string;
      provider: string;
      check?: string;
      /** 'risky' (billed only if wrongly accepted) or the paid item it spends on ('default-task', a check id) */
      purpose?: string;
      amount: number;
      currency: string;
      /** no documented price: counted as a task, its amount unknown (0 here) */
      unpriced?: boolean;
      /** which create of tonight's plan this is (see spendKeyOf): the probe's or the boundary case's name */
      key?: string;
      at: string;
    }
  | { kind: 'release'; id: string; provider: string; amount: number; currency: string; at: string }
  | {
      kind: 'task';
      id: string;
      provider: string;
      taskId: string;
      amount: number;
      currency: string;
      mistaken?: boolean;
      at: string;
    }
  | { kind: 'cancel'; id: string; provider: string; taskId: string; status?: number; error?: string; at: string }
  // no answer at all: the gateway may have made the task, so the hold stays spent (fail closed on money)
  | { kind: 'unanswered'; id: string; provider: string; at: string }
  // a risky create not sent: the money left could not cover it if wrongly accepted
  | { kind: 'held-back'; id: string; provider: string; amount: number; currency: string; key?: string; at: string }
  // a request sent without a key before the checks (src/run/before-checks.ts): no money held, nothing billed
  | {
      kind: 'free';
      id: string;
      provider: string;
      check: string;
      method: string;
      url: string;
      status?: number;
      error?: string;
      at: string;
    };

/** what a create asks the ledger to hold */
type ReserveRequest = Omit<Extract<LedgerEntry, { kind: 'reserve' }>, 'kind' | 'at'>;

/** an entry as a caller writes it: the ledger stamps the time */
type WithoutTime<T> = T extends unknown ? Omit<T, 'at'> : never;

export interface LedgerTotals {
  /** per currency: held or spent (reserves minus releases) */
  spent: Record<string, number>;
  tasks: number;
  /** per provider: the tasks its creates made */
  tasksByProvider?: Record<string, number>;
  mistakenTasks: number;
  cancelled: number;
}

const LOCK_WAIT_MS = 10_000;
/** the currency a hold for a create with no documented price is written in (amount 0): its task still counts */
export const UNPRICED = 'unpriced';
/** how long a create waits for holds in flight (each ends with its request) before it is refused */
const HOLD_WAIT_MS = 120_000;

export interface Money {
  amount: number;
  currency: string;
}

export interface LedgerLimits {
  /** per provider: the most this run may spend on it */
  perProvider?: Record<string, Money>;
  /** per provider: planned paid items sent alongside risky creates, and their documented prices, held until sent */
  earmarks?: Record<string, Record<string, number>>;
  /**
   * per provider: the price of each risky create the run plans (what it costs if wrongly accepted). Risky creates
   * meet the whole budget and the paid picks not earmarked what a conforming gateway left of it — the same picks every
   * time: such a paid create waits only while its money could crowd out one of its provider's risky creates still to
   * be sent (one the budget holds now, but not beside it), or until `riskyPhaseUntil`. Other providers' creates never
   * hold it
   */
  riskyPrices?: Record<string, number[]>;
  /** per provider: why its risky creates are not sent at all (no budget caps them and none was allowed uncapped) */
  riskyRefused?: Record<string, string>;
  /**
   * per provider: tonight's plan of its risky creates by key (see spendKeyOf). `send`: key → price of each the plan
   * sends (they replace riskyPrices: a create is met by its key, so a create sent again after noise, or one the plan
   * does not know, never stands for another); `notSent`: key → why the plan does not send it (refused at once, so the
   * run sends exactly what the dry run listed)
   */
  riskyPlan?: Record<string, { send: Record<string, number>; notSent: Record<string, string> }>;
  /** epoch ms: paid creates stop waiting for the risky ones then (default: 10 minutes after the ledger is made) */
  riskyPhaseUntil?: number;
  /** how long a create waits for holds in flight to settle before it is refused (default 120 s) */
  holdWaitMs?: number;
}

/**
 * The run's spend, shared by every worker through one file: a create is sent only after its documented price is
 * reserved under a lock (so parallel suites cannot overshoot together), and released when no task came of it.
 * Lines are appended with one O_APPEND write each: a killed worker loses nothing already recorded.
 */
export class SpendLedger {
  private readonly riskyPhaseUntil: number;

  constructor(
    readonly file: string,
    readonly budget?: Money,
    readonly limits: LedgerLimits = {},
  ) {
    this.riskyPhaseUntil = limits.riskyPhaseUntil ?? Date.now() + 10 * 60_000;
  }

  entries(): LedgerEntry[] {
    if (!existsSync(this.file)) return [];
    // the ledger of one run is small (a line per create); a huge file is not ours to read whole
    if (statSync(this.file).size > 64 * 1024 * 1024)
      throw new HarnessError('IO', `${this.file} is over 64 MiB: not a ledger of one run`, {
        file: this.file,
        fix: 'point the run at a fresh report dir',
      });
    // a line a killed worker left unfinished is skipped: a reserve it never completed preceded no request
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as LedgerEntry];
        } catch {
          return [];
        }
      });
  }

  totals(): LedgerTotals {
    const spent: Record<string, number> = {};
    let tasks = 0;
    const tasksByProvider: Record<string, number> = {};
    let mistakenTasks = 0;
    let cancelled = 0;
    for (const e of this.entries()) {
      if (e.kind === 'reserve' && !e.unpriced) spent[e.currency] = round((spent[e.currency] ?? 0) + e.amount);
      if (e.kind === 'release' && e.currency !== UNPRICED)
        spent[e.currency] = round((spent[e.currency] ?? 0) - e.amount);
      if (e.kind === 'task') (tasks += 1), (mistakenTasks += e.mistaken ? 1 : 0);
      if (e.kind === 'task') tasksByProvider[e.provider] = (tasksByProvider[e.provider] ?? 0) + 1;
      if (e.kind === 'cancel' && e.status !== undefined && e.status < 300) cancelled += 1;
    }
    return { spent, tasks, tasksByProvider, mistakenTasks, cancelled };
  }

  /** Per provider and currency: spent or held (reserves minus releases). */
  spentByProvider(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const e of this.entries()) {
      if ((e.kind !== 'reserve' || e.unpriced) && (e.kind !== 'release' || e.currency === UNPRICED)) continue;
      const own = (out[e.provider] ??= {});
      own[e.currency] = round((own[e.currency] ?? 0) + (e.kind === 'reserve' ? e.amount : -e.amount));
    }
    return out;
  }

  /**
   * Holds `amount` for a create, or answers why not: a budget (the run's, the provider's) would be exceeded counting
   * what is spent, what is held, and what tonight's plan earmarked for paid items not yet sent. A create that would fit
   * once the holds in flight settle waits for them (a risky create is sent one at a time within what is left); a paid
   * create not earmarked first waits for the risky creates of its provider its money could crowd out.
   */
  async reserve(entry: ReserveRequest): Promise<{ ok: true } | { ok: false; why: string }> {
    const refused = entry.purpose === 'risky' ? this.limits.riskyRefused?.[entry.provider] : undefined;
    if (refused) return { ok: false, why: refused };
    const planned =
      entry.purpose === 'risky' && entry.key && this.limits.riskyPlan?.[entry.provider]?.notSent[entry.key];
    if (planned) {
      this.append({ kind: 'held-back', ...pick(entry) });
      return { ok: false, why: planned };
    }
    let waitUntil: number | undefined;
    for (;;) {
      // looked at without the lock while it waits (the other workers' reserves go on), then again under it
      if (this.mayWaitForRisky(entry) && this.waitsForRisky(this.entries(), entry)) {
        await sleep(50);
        continue;
      }
      const r = this.locked(() => {
        const entries = this.entries();
        if (this.waitsForRisky(entries, entry)) return { risky: true as const };
        const over = this.overBudget(entries, entry);
        if (!over) this.append({ kind: 'reserve', ...entry });
        // would it fit once the creates in flight are settled (released, most of them)? then it is worth waiting
        return { over, worthWaiting: over !== undefined && !this.overBudget(withoutInFlight(entries), entry) };
      });
      if ('risky' in r) {
        await sleep(50);
        continue;
      }
      if (!r.over) return { ok: true };
      waitUntil ??= Date.now() + (this.limits.holdWaitMs ?? HOLD_WAIT_MS);
      if (!r.worthWaiting || Date.now() > waitUntil) {
        if (entry.purpose === 'risky') this.append({ kind: 'held-back', ...pick(entry) });
        return { ok: false, why: r.over };
      }
      await sleep(20);
    }
  }

  /**
   * Must this paid create (not earmarked) wait for its provider's risky creates? Only while one still to be sent would
   * fit the budget as things stand (the creates in flight settled) but not beside this create: sending it first would
   * then hold back a risky create the plan counted on. Until `riskyPhaseUntil`; other providers' creates never count.
   */
  private waitsForRisky(entries: LedgerEntry[], entry: ReserveRequest): boolean {
    if (!this.mayWaitForRisky(entry)) return false;
    const settled = withoutInFlight(entries);
    const risky = (amount: number) => ({
      provider: entry.provider,
      purpose: 'risky',
      amount,
      currency: entry.currency,
    });
    // the dearest risky create to come that the budget still holds
    const plan = this.limits.riskyPlan?.[entry.provider];
    const pending = [
      ...new Set(
        plan
          ? pendingByKey(plan.send, entries, entry.provider)
          : pendingRisky(this.limits.riskyPrices?.[entry.provider] ?? [], entries, entry.provider),
      ),
    ];
    const dearest = pending.sort((a, b) => b - a).find((amount) => !this.overBudget(settled, risky(amount)));
    if (dearest === undefined) return false;
    const beside: LedgerEntry[] = [...settled, { kind: 'reserve', ...entry, at: '' }];
    return this.overBudget(beside, risky(dearest)) !== undefined;
  }

  /** A paid create not earmarked, of a provider with risky creates planned, before the risky phase is over. */
  private mayWaitForRisky(entry: ReserveRequest): boolean {
    if (entry.purpose === 'risky' || Date.now() >= this.riskyPhaseUntil) return false;
    const plan = this.limits.riskyPlan?.[entry.provider];
    if (!(plan ? Object.keys(plan.send).length : this.limits.riskyPrices?.[entry.provider]?.length)) return false;
    return !(entry.purpose !== undefined && entry.purpose in (this.limits.earmarks?.[entry.provider] ?? {}));
  }

  /** Why this create does not fit a budget, or undefined when it does. */
  private overBudget(
    entries: LedgerEntry[],
    entry: Pick<ReserveRequest, 'provider' | 'purpose' | 'amount' | 'currency'>,
  ): string | undefined {
    const limits: [string, Money, (provider: string) => boolean][] = [];
    const own = this.limits.perProvider?.[entry.provider];
    if (own) limits.push([`${entry.provider}'s budget`, own, (p) => p === entry.provider]);
    if (this.budget) limits.push(['the budget', this.budget, () => true]);
    for (const [name, limit, counts] of limits) {
      if (limit.currency !== entry.currency) continue;
      const held = committedOf(entries, counts, entry.currency);
      const planned = this.earmarked(
        entries,
        (p) => counts(p) && this.pricedIn(p, limit.currency),
        entry.purpose,
        entry.provider,
      );
      if (round(held + planned.sum) + entry.amount > limit.amount + 1e-9)
        return overText(`${name} of ${limit.amount} ${limit.currency}`, entry.amount, [
          [round(held - inFlightOf(entries, counts, entry.currency)), 'spent on tasks'],
          [round(inFlightOf(entries, counts, entry.currency)), 'held by creates in flight'],
          [round(planned.sum), `held for the planned ${planned.items.join(', ')} not sent yet`],
        ]);
    }
    return undefined;
  }

  /** Are this provider's prices (and so its earmarks) in this currency? Unknown without a budget of its own: yes. */
  private pricedIn(provider: string, currency: string): boolean {
    const own = this.limits.perProvider?.[provider];
    return !own || own.currency === currency;
  }

  /** What tonight's plan holds for paid items not yet sent (the entry's own item excluded: it is spending it now). */
  private earmarked(
    entries: LedgerEntry[],
    counts: (provider: string) => boolean,
    purpose: string | undefined,
    provider: string,
  ): { sum: number; items: string[] } {
    let sum = 0;
    const named: string[] = [];
    for (const [p, items] of Object.entries(this.limits.earmarks ?? {})) {
      if (!counts(p)) continue;
      for (const [item, amount] of Object.entries(items)) {
        const sent = entries.some((e) => e.kind === 'reserve' && e.provider === p && e.purpose === item);
        if (!sent && !(p === provider && item === purpose)) (sum += amount), named.push(`${p} ${item}`);
      }
    }
    return { sum, items: named };
  }

  append(entry: WithoutTime<LedgerEntry>): void {
    appendLineAtomic(this.file, JSON.stringify({ ...entry, at: new Date().toISOString() }));
  }

  /**

   * An exclusive lock file (O_EXCL) around read-then-append; a holder killed mid-way leaves it: stale after the wait.

   */
  private locked<T>(fn: () => T): T {
    const lock = ledgerLockOf(this.file);
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        closeSync(openSync(lock, 'wx'));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (Date.now() > deadline) {
          // a worker killed while holding it: take it over rather than stop the run
          unlinkSync(lock);
          continue;
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
      }
    }
    try {
      return fn();
    } finally {
      try {
        unlinkSync(lock);
      } catch {
        // already gone (taken over)
      }
    }
  }
}

/** The lock file beside a ledger (a worker frozen or killed while holding it leaves it behind). */
export const ledgerLockOf = (ledgerFile: string) => `${ledgerFile}.lock`;

const round = (n: number) => Math.round(n * 10000) / 10000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = (e: { id: string; provider: string; amount: number; currency: string; key?: string }) => ({
  id: e.id,
  provider: e.provider,
  amount: e.amount,
  currency: e.currency,
  ...(e.key ? { key: e.key } : {}),
});

/**
 * Why a create does not fit a budget, saying what holds the money: "evolink's budget of 1 USD cannot hold this create
 * (it could cost 0.75 if billed): 0.375 held for the planned evolink default-task not sent yet", or, where nothing
 * holds any, that the create alone costs more than the budget.
 */
function overText(budget: string, amount: number, parts: [number, string][]): string {
  const holding = parts.filter(([n]) => n > 1e-9).map(([n, what]) => `${n} ${what}`);
  return holding.length
    ? `${budget} cannot hold this create (it could cost ${amount} if billed): ${holding.join('; ')}`
    : `this create alone could cost ${amount} if billed, more than ${budget}`;
}
