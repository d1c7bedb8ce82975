import { closeSync, existsSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { appendLineAtomic } from './atomic-write.ts';
import { HarnessError } from './errors.ts';

/** One line of the ledger: money held for a create before it is sent, released when no task came of it. */
export type LedgerEntry =
  | { kind: 'reserve'; id: string; provider: string; check?: string; amount: number; currency: string; at: string }
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
  | { kind: 'cancel'; id: string; provider: string; taskId: string; status?: number; error?: string; at: string };

/** an entry as a caller writes it: the ledger stamps the time */
type WithoutTime<T> = T extends unknown ? Omit<T, 'at'> : never;

export interface LedgerTotals {
  /** per currency: held or spent (reserves minus releases) */
  spent: Record<string, number>;
  tasks: number;
  mistakenTasks: number;
  cancelled: number;
}

const LOCK_WAIT_MS = 10_000;

/**
 * The run's spend, shared by every worker through one file: a create is sent only after its documented price is
 * reserved under a lock (so parallel suites cannot overshoot together), and released when no task came of it.
 * Lines are appended with one O_APPEND write each: a killed worker loses nothing already recorded.
 */
export class SpendLedger {
  constructor(
    readonly file: string,
    readonly budget?: { amount: number; currency: string },
  ) {}

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
    let mistakenTasks = 0;
    let cancelled = 0;
    for (const e of this.entries()) {
      if (e.kind === 'reserve') spent[e.currency] = round((spent[e.currency] ?? 0) + e.amount);
      if (e.kind === 'release') spent[e.currency] = round((spent[e.currency] ?? 0) - e.amount);
      if (e.kind === 'task') (tasks += 1), (mistakenTasks += e.mistaken ? 1 : 0);
      if (e.kind === 'cancel' && e.status !== undefined && e.status < 300) cancelled += 1;
    }
    return { spent, tasks, mistakenTasks, cancelled };
  }

  /** Holds `amount` for a create, or answers why not: the budget would be exceeded. */
  reserve(
    entry: Omit<Extract<LedgerEntry, { kind: 'reserve' }>, 'kind' | 'at'>,
  ): { ok: true } | { ok: false; why: string } {
    return this.locked(() => {
      if (this.budget && entry.currency === this.budget.currency) {
        const spent = this.totals().spent[entry.currency] ?? 0;
        if (spent + entry.amount > this.budget.amount + 1e-9) {
          return {
            ok: false as const,
            why:
              `the budget of ${this.budget.amount} ${this.budget.currency} is reached ` +
              `(${spent} spent or held; this create could cost ${entry.amount})`,
          };
        }
      }
      this.append({ kind: 'reserve', ...entry });
      return { ok: true as const };
    });
  }

  append(entry: WithoutTime<LedgerEntry>): void {
    appendLineAtomic(this.file, JSON.stringify({ ...entry, at: new Date().toISOString() }));
  }

  /**

   * An exclusive lock file (O_EXCL) around read-then-append; a holder killed mid-way leaves it: stale after the wait.

   */
  private locked<T>(fn: () => T): T {
    const lock = `${this.file}.lock`;
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

const round = (n: number) => Math.round(n * 10000) / 10000;
