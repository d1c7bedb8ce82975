import ms from 'ms';
import type { CheckStatus } from '../checks/types.ts';
import { countFlips, type HistoryLine } from './history-line.ts';
import { joinShardedNights, type NightLine, type NightShards } from './history-nights.ts';
import { runSteps, type RunStep } from './run-steps.ts';

/** One (provider, check) over the runs of a history window. */
export interface CheckTrend {
  provider: string;
  check: string;
  current: CheckStatus;
  /** the run since which the current status holds (the start of the streak) */
  since: { id: string; startedAt: string };
  /** the run where the status last changed, if it ever did in the window */
  lastChange?: { id: string; startedAt: string; from: CheckStatus; to: CheckStatus };
  runs: number;
  /** good ↔ bad flips per judged run (contract changes; transient runs are not counted here) */
  flakeRate: number;
  /** good ↔ bad flips in the window: FLAKY_FLIPS or more is a flaky check (one regression and its fix are two) */
  flips: number;
  /** runs that met transient answers (429, 5xx, timeouts, resets): passed on a retry, or left unjudged */
  transient: { flakes: number; unjudged: number };
  /** why the newest run did not pass it (a skip's reason, a failure's gist), when it did not */
  detail?: string;
  /** its status in every run of the window that included it, oldest first */
  timeline: { id: string; startedAt: string; status: CheckStatus }[];
  /** coverage age: when a live run last judged it (any status but skip), and how long before the newest run */
  lastJudgedLive?: string;
  coverageAgeHours?: number;
}

type Timing = 'createMs' | 'queuedMs' | 'generatingMs' | 'totalMs';
const TIMINGS: Timing[] = ['createMs', 'queuedMs', 'generatingMs', 'totalMs'];

export type ProviderRun = {
  id: string;
  startedAt: string;
  passRate: number;
  failed: number;
  billableTasks?: number;
} & Partial<Record<Timing, number>>;

export interface ProviderTrend {
  provider: string;
  runs: ProviderRun[];
  /** over the window: median and 95th percentile of each timing (ms), from the runs that followed a task */
  latency: Partial<Record<Timing, { p50: number; p95: number; n: number }>>;
}

export interface HistoryStats {
  window: { from?: string; to?: string; runs: number };
  checks: CheckTrend[];
  providers: ProviderTrend[];
  /** documented spend per run (live runs with a ledger) */
  spend: { id: string; startedAt: string; documented: Record<string, number> }[];
  /** run to run (per target): newly failing, fixed, transient, price changes — oldest first */
  steps: RunStep[];
  /** the nights run in shards (one run id's lines, each counted above as one run): which parts, and the money */
  shardedNights: ShardedNight[];
}

/** A night run in shards: the parts the history holds, its spend and budgets (once), its verdicts, what it banks. */
export interface ShardedNight extends NightShards {
  id: string;
  startedAt: string;
  target: string;
  spend?: Record<string, number>;
  /** per provider: the night's budget (once), its shards' spend added up, and what the night banks of it */
  paid: Record<string, { budget?: number; spent: number; currency?: string; banks?: number }>;
  byProvider: HistoryLine['byProvider'];
}

/** 0.034 → "3.4 %": rates are shown as percentages, never as bare fractions */
export const percent = (rate: number): string => `${Math.round(rate * 1000) / 10} %`;
/** Coverage age in words: "3.5 d", "6 h", "never" (a live run has not judged it in the window). */
export function coverageAgeText(c: Pick<CheckTrend, 'coverageAgeHours'>): string {
  const h = c.coverageAgeHours;
  if (h === undefined) return 'never';
  return h >= 48 ? `${Math.round(h / 2.4) / 10} d` : `${Math.round(h)} h`;
}

/** Flips in a window that make a check flaky: bad, good again, and bad again. */
export const FLAKY_FLIPS = 3;

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * A window as the `ms` library reads it ("30d", "12h", "2w", "45m", "1.5h") → ms; undefined for no limit, NaN if
 * unreadable.
 */
export function parseSince(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const value = ms(text.trim() as ms.StringValue) as number | undefined;
  return typeof value === 'number' && value > 0 ? value : Number.NaN;
}

/** Per check: current status, since when, last change, flake rate; per provider: pass rate over time. Pure. */
export function historyStats(lines: HistoryLine[], now: number, sinceMs?: number): HistoryStats {
  // a night run in shards is one run: its shards' lines joined
  const runs = joinShardedNights(lines).filter(
    (l) => l.checks && (sinceMs === undefined || now - Date.parse(l.startedAt) <= sinceMs),
  );
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.checks!)))].sort();
  // coverage age is measured at the newest run of the window (the same page whenever it is drawn)
  const newest = runs.length ? Date.parse(runs.at(-1)!.startedAt) : now;
  const checks: CheckTrend[] = keys.map((key) => checkTrend(runs, key, newest));
  const providers = [...new Set(runs.flatMap((r) => r.providers))].sort().map((p) => providerTrend(runs, p));
  const spend = runs.filter((r) => r.spend).map((r) => ({ id: r.id, startedAt: r.startedAt, documented: r.spend! }));
  return {
    window: { from: runs[0]?.startedAt, to: runs.at(-1)?.startedAt, runs: runs.length },
    checks,
    providers,
    spend,
    steps: runSteps(runs),
    shardedNights: runs.flatMap((r) => (r.shards ? [shardedNight(r, r.shards)] : [])),
  };
}

/**
 * A sharded night as `history` shows it: per provider what it banks, as the planner reads it (see run/rotate-paid.ts).
 */
/** A whole night banks its budget less its shards' spend; one lacking a part nothing (only what it overspent). */
const banked = (left: number, shards: NightShards) =>
  Math.round((shards.problem ? Math.min(0, left) : left) * 10000) / 10000;

function shardedNight(r: NightLine, shards: NightShards): ShardedNight {
  const paid = Object.fromEntries(
    Object.entries(r.paid ?? {}).map(([p, x]) => [
      p,
      {
        ...(x.budget !== undefined ? { budget: x.budget } : {}),
        spent: x.spent,
        ...(x.currency ? { currency: x.currency } : {}),
        ...(x.budget !== undefined ? { banks: banked(x.budget - x.spent, shards) } : {}),
      },
    ]),
  );
  return {
    id: r.id,
    startedAt: r.startedAt,
    target: r.target,
    ...shards,
    ...(r.spend ? { spend: r.spend } : {}),
    paid,
    byProvider: r.byProvider,
  };
}

/** One check's trend over the runs: its current status, since when, the last change, flips and transient runs. */
function checkTrend(runs: HistoryLine[], key: string, now: number): CheckTrend {
  const all = runs
    .filter((r) => r.checks![key])
    .map((r) => ({ run: r, status: r.checks![key]!.status, transient: r.checks![key]!.transient }));
  const transient = {
    flakes: all.filter((s) => s.transient === 'flake').length,
    unjudged: all.filter((s) => s.transient === 'unjudged').length,
  };
  // a run that could not judge the check for transient reasons says nothing about its contract
  const series = all.filter((s) => s.transient !== 'unjudged').length
    ? all.filter((s) => s.transient !== 'unjudged')
    : all;
  const last = series.at(-1)!;
  let start = series.length - 1;
  while (start > 0 && series[start - 1]!.status === last.status) start--;
  const judged = series.filter((s) => s.status !== 'skip');
  const flips = countFlips(series.map((s) => s.status));
  const change =
    start > 0
      ? {
          id: series[start]!.run.id,
          startedAt: series[start]!.run.startedAt,
          from: series[start - 1]!.status,
          to: last.status,
        }
      : undefined;
  const [provider, check] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
  const detail = last.run.checks![key]!.detail;
  const live = all.filter((x) => x.run.target === 'live' && x.status !== 'skip').at(-1)?.run.startedAt;
  return {
    ...(live ? { lastJudgedLive: live, coverageAgeHours: Math.round((now - Date.parse(live)) / 360_000) / 10 } : {}),
    provider,
    check,
    current: last.status,
    ...(detail ? { detail } : {}),
    since: { id: series[start]!.run.id, startedAt: series[start]!.run.startedAt },
    lastChange: change,
    runs: all.length,
    flips,
    flakeRate: judged.length > 1 ? Math.round((flips / (judged.length - 1)) * 100) / 100 : 0,
    transient,
    timeline: all.map((s) => ({ id: s.run.id, startedAt: s.run.startedAt, status: s.status })),
  };
}

/** One provider's runs (pass rate, failures, billable tasks, the followed task's timings) and latency percentiles. */
function providerTrend(runs: HistoryLine[], provider: string): ProviderTrend {
  const p: ProviderTrend = {
    provider,
    runs: runs
      .filter((r) => r.byProvider[provider])
      .map((r): ProviderRun => {
        const c = r.byProvider[provider]!;
        const judged = c.pass + c.fail + (c.error ?? 0) + (c.warn ?? 0);
        // the task this run followed for the provider (every check judging it carries the same timings)
        const timed = Object.entries(r.checks ?? {}).find(
          ([k, v]) => k.startsWith(`${provider} `) && v.metrics?.createMs !== undefined,
        )?.[1].metrics;
        const timings = Object.fromEntries(TIMINGS.filter((t) => timed?.[t] !== undefined).map((t) => [t, timed![t]!]));
        return {
          id: r.id,
          startedAt: r.startedAt,
          passRate: judged ? Math.round(((c.pass + (c.warn ?? 0)) / judged) * 1000) / 1000 : 1,
          failed: c.fail + (c.error ?? 0),
          billableTasks: r.billableTasks,
          ...timings,
        };
      }),
    latency: {},
  };
  for (const t of TIMINGS) {
    const values = p.runs.map((r) => r[t]).filter((v): v is number => v !== undefined);
    if (values.length) p.latency[t] = { p50: percentile(values, 50), p95: percentile(values, 95), n: values.length };
  }
  return p;
}
