import { existsSync, readFileSync, statSync } from 'node:fs';
import { HarnessError } from '../core/errors.ts';

/** The largest history file read back (256 MiB: years of nightly runs). */
export const MAX_HISTORY_BYTES = 256 * 1024 * 1024;
import type { CheckMetrics, CheckStatus } from '../checks/types.ts';
import { unjudgedForNoise } from '../checks/transient.ts';
import type { RunResults } from './build-results.ts';

/** One run as history.jsonl keeps it: counts, and per (provider check) its status and the kinds of its findings. */
export interface HistoryLine {
  id: string;
  startedAt: string;
  target: string;
  providers: string[];
  summary: Record<CheckStatus, number>;
  incomplete?: boolean;
  byProvider: RunResults['summary']['byProvider'];
  failed: string[];
  /**
   * "<provider> <check>" → status and finding kinds; `transient`: it met 429/5xx/timeouts/resets — passed on a
   * retry (a flake) or still could not be judged (status error) — counted apart from contract changes
   */
  checks?: Record<string, HistoryCheck>;
  /** live runs: documented spend per currency (the ledger's total) */
  spend?: Record<string, number>;
  /**
   * live runs with --allow-paid, per provider: its night's budget and own spend (the night banks budget - spent for
   * dear paid items; see run/rotate-paid.ts), what it drew from that bank, and the paid items it picked
   */
  paid?: Record<string, { budget?: number; spent: number; currency?: string; fromBank?: number; picked: string[] }>;
  billableTasks?: number;
  /** gateway noise met, per provider and "<operation> <answer>" (e.g. "poll 503"): distinct noisy answers */
  noise?: Record<string, Record<string, number>>;
  /** per provider: its own billable tasks (lines written before it was kept have only the run's total) */
  billableByProvider?: Record<string, number>;
  /**
   * a run in shards (`run --shard i/n`, or `merge` of some): the night's name (`--run-id`, else the run's id) and the
   * parts this line holds. Its `paid` budgets are the night's, its spends only these parts': the planner adds up the
   * lines of one night, and reads a night with a part missing as one that left nothing unspent.
   */
  shard?: { runId: string; parts: string[] };
  /** the documented price of each provider's default task this run used (a price change shows between runs) */
  prices?: Record<string, { amount: number; currency: string }>;
  reportDir: string;
}

/** One check of one run, as the history keeps it. */
export interface HistoryCheck {
  status: CheckStatus;
  kinds?: string[];
  transient?: 'flake' | 'unjudged';
  metrics?: CheckMetrics;
  /** why it did not pass (the verdict's message, cut to MAX_DETAIL characters): a skip's reason, a failure's gist */
  detail?: string;
}

/** A history line stays small: a failure's full evidence lives in that run's results.json. */
export const MAX_DETAIL = 300;

export function toHistoryLine(r: RunResults, reportDir: string): HistoryLine {
  const checks: NonNullable<HistoryLine['checks']> = {};
  for (const x of r.results) {
    const kinds = [...new Set((x.findings ?? []).map((f) => f.kind))];
    // noise met: still there after the documented retries (unjudged), or cleared (sent or polled again, or the check
    // tried again) — a flake
    const noisy = x.transient !== undefined || kinds.includes('transient');
    const transient = unjudgedForNoise(x) ? 'unjudged' : noisy ? 'flake' : undefined;
    // metrics only where something was measured beyond a request count of zero
    const metrics = x.metrics && (x.metrics.requests > 0 || x.metrics.totalMs !== undefined) ? x.metrics : undefined;
    const detail =
      x.status === 'pass'
        ? undefined
        : x.message.length > MAX_DETAIL
          ? `${x.message.slice(0, MAX_DETAIL - 1)}…`
          : x.message;
    checks[`${x.provider} ${x.id}`] = {
      status: x.status,
      ...(kinds.length ? { kinds } : {}),
      ...(transient ? { transient } : {}),
      ...(metrics ? { metrics } : {}),
      ...(detail ? { detail } : {}),
    };
  }
  // the price each provider's paid checks were judged at (one default task per provider)
  const prices: NonNullable<HistoryLine['prices']> = {};
  for (const x of r.results)
    if (x.price?.amount !== undefined && x.price.currency && !prices[x.provider])
      prices[x.provider] = { amount: x.price.amount, currency: x.price.currency };
  const { total: _total, byProvider, billableTasks, boundary: _b, noise, ...counts } = r.summary;
  return {
    id: r.run.id,
    startedAt: r.run.startedAt,
    target: r.run.target,
    providers: r.run.providers.map((p) => p.id),
    summary: counts as Record<CheckStatus, number>,
    ...(r.run.incomplete || r.run.missingShards?.length ? { incomplete: true } : {}),
    byProvider,
    failed: r.results.filter((x) => x.status === 'fail').map((x) => `${x.provider} ${x.id}`),
    checks,
    billableTasks: billableTasks.created,
    ...(billableTasks.byProvider ? { billableByProvider: billableTasks.byProvider } : {}),
    ...(noise?.length ? { noise: noiseCounts(noise) } : {}),
    ...shardOf(r),
    ...(r.run.spend ? { spend: r.run.spend.documented } : {}),
    ...(r.run.spend?.plan?.length ? { paid: paidNights(r.run.spend.plan) } : {}),
    ...(Object.keys(prices).length ? { prices } : {}),
    reportDir,
  };
}

/** Gateway noise as a history line keeps it: per provider, "<operation> <answer>" → answers met. */
function noiseCounts(rows: NonNullable<RunResults['summary']['noise']>): NonNullable<HistoryLine['noise']> {
  const out: NonNullable<HistoryLine['noise']> = {};
  for (const x of rows) (out[x.provider] ??= {})[`${x.operation} ${x.answer}`] = x.met;
  return out;
}

/** A shard's line (or a merge of shards): the night's name and the parts it holds. */
function shardOf(r: RunResults): Pick<HistoryLine, 'shard'> {
  const parts = r.run.mergedShards ?? (r.run.shard ? [r.run.shard] : []);
  return parts.length ? { shard: { runId: r.run.shardOf ?? r.run.id, parts } } : {};
}

/** Per provider: the night's budget, its own spend, its draw on the bank and its picks (what the bank is read from). */
function paidNights(plan: NonNullable<NonNullable<RunResults['run']['spend']>['plan']>): HistoryLine['paid'] {
  return Object.fromEntries(
    plan.map((n) => [
      n.provider,
      {
        ...(n.budget ? { budget: n.budget.amount, currency: n.budget.currency } : {}),
        spent: n.spent ?? 0,
        ...(n.fromBank ? { fromBank: n.fromBank } : {}),
        picked: n.picked,
      },
    ]),
  );
}

/** The lines of a history file, oldest first; a line that does not parse is skipped and counted. */
export function readHistory(file: string): { lines: HistoryLine[]; unreadable: number; unreadableLines: number[] } {
  if (!existsSync(file)) return { lines: [], unreadable: 0, unreadableLines: [] };
  // a history is a regular file of modest size: never read a device or a runaway file whole
  const stat = statSync(file);
  if (!stat.isFile())
    throw new HarnessError('IO', `${file} is not a regular file`, { file, fix: 'pass --history a .jsonl file' });
  if (stat.size > MAX_HISTORY_BYTES)
    throw new HarnessError(
      'IO',
      `${file} is ${Math.round(stat.size / 1024 / 1024)} MB, over the ` +
        `${MAX_HISTORY_BYTES / 1024 / 1024} MB a history is read up to`,
      { file, fix: 'start a new history file (--history) and keep the old one as an archive' },
    );
  let read = parseHistory(readFileSync(file, 'utf8'));
  // an unfinished last line may be another run's append in flight (one write(2), not seen whole by a reader yet)
  if (read.tornLast) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    read = parseHistory(readFileSync(file, 'utf8'));
  }
  return { lines: read.lines, unreadable: read.unreadableLines.length, unreadableLines: read.unreadableLines };
}

/** The history's lines, the numbers (from 1) of those that are not JSON, and whether the last is unfinished. */
function parseHistory(text: string) {
  const lines: HistoryLine[] = [];
  const unreadableLines: number[] = [];
  const all = text.split('\n');
  for (const [i, line] of all.entries()) {
    if (!line.trim()) continue;
    try {
      lines.push(JSON.parse(line) as HistoryLine);
    } catch {
      unreadableLines.push(i + 1);
    }
  }
  return { lines, unreadableLines, tornLast: unreadableLines.at(-1) === all.length && !text.endsWith('\n') };
}

/**
 * A history whose lines cannot all be read is refused (exit 2) where it plans spend or is shown: a line torn by a run
 * killed inside its append, or edited by hand, is a run whose spend the monthly cap and the bank would silently lose.
 */
export function assertHistoryReadable(file: string, unreadableLines: number[]): void {
  if (!unreadableLines.length) return;
  const n = unreadableLines;
  const which = n.length > 5 ? `${n.slice(0, 5).join(', ')} and ${n.length - 5} more` : n.join(', ');
  throw new HarnessError(
    'INPUT',
    `${file}: line ${which} ${n.length > 1 ? 'are' : 'is'} not a readable history line (torn by a run killed while ` +
      "appending it, or edited): the monthly cap, the carry-over bank and the night count would miss that run's spend",
    {
      file,
      fix:
        `keep a copy, then move the line(s) away (e.g. sed -i '${n[0]}d' ${file}) and check the month's spend by ` +
        "hand (its ledger.jsonl in that run's report dir), or restore the file from a backup",
    },
  );
}

/** A failing verdict, for trends: fail or error (warn, info and skip are not failures). */
export const isBad = (s: CheckStatus): boolean => s === 'fail' || s === 'error';

/** How often a series of judged statuses (skips left out) flips between good and bad. */
export function countFlips(series: readonly CheckStatus[]): number {
  const judged = series.filter((s) => s !== 'skip');
  let flips = 0;
  for (let i = 1; i < judged.length; i++) if (isBad(judged[i]!) !== isBad(judged[i - 1]!)) flips += 1;
  return flips;
}
