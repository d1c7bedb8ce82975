import type { CheckStatus } from '../checks/types.ts';
import { countFlips, type HistoryLine } from './history-line.ts';


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
  /** runs that met transient answers (429, 5xx, timeouts, resets): passed on a retry, or left unjudged */
  transient: { flakes: number; unjudged: number };
}

export interface ProviderTrend {
  provider: string;
  runs: { id: string; startedAt: string; passRate: number; failed: number; billableTasks?: number }[];
}

export interface HistoryStats {
  window: { from?: string; to?: string; runs: number };
  checks: CheckTrend[];
  providers: ProviderTrend[];
}

/** "30d", "12h" → ms; undefined for no limit. */
export function parseSince(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(\d+)\s*([dh])$/.exec(text.trim());
  if (!m) return Number.NaN;
  return Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000);
}

/** Per check: current status, since when, last change, flake rate; per provider: pass rate over time. Pure. */
export function historyStats(lines: HistoryLine[], now: number, sinceMs?: number): HistoryStats {
  const runs = lines.filter((l) => l.checks && (sinceMs === undefined || now - Date.parse(l.startedAt) <= sinceMs));
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.checks!)))].sort();
  const checks: CheckTrend[] = keys.map((key) => {
    const all = runs.filter((r) => r.checks![key]).map((r) => ({ run: r, status: r.checks![key]!.status, transient: r.checks![key]!.transient }));
    const transient = { flakes: all.filter((s) => s.transient === 'flake').length, unjudged: all.filter((s) => s.transient === 'unjudged').length };
    // a run that could not judge the check for transient reasons says nothing about its contract
    const series = all.filter((s) => s.transient !== 'unjudged').length ? all.filter((s) => s.transient !== 'unjudged') : all;
    const last = series.at(-1)!;
    let start = series.length - 1;
    while (start > 0 && series[start - 1]!.status === last.status) start--;
    const judged = series.filter((s) => s.status !== 'skip');
    const flips = countFlips(series.map((s) => s.status));
    const change = start > 0 ? { id: series[start]!.run.id, startedAt: series[start]!.run.startedAt, from: series[start - 1]!.status, to: last.status } : undefined;
    const [provider, check] = [key.slice(0, key.indexOf(' ')), key.slice(key.indexOf(' ') + 1)];
    return { provider, check, current: last.status, since: { id: series[start]!.run.id, startedAt: series[start]!.run.startedAt }, lastChange: change, runs: all.length, flakeRate: judged.length > 1 ? Math.round((flips / (judged.length - 1)) * 100) / 100 : 0, transient };
  });
  const providers = [...new Set(runs.flatMap((r) => r.providers))].sort().map((provider) => ({
    provider,
    runs: runs
      .filter((r) => r.byProvider[provider])
      .map((r) => {
        const c = r.byProvider[provider]!;
        const judged = c.pass + c.fail + (c.error ?? 0) + (c.warn ?? 0);
        return { id: r.id, startedAt: r.startedAt, passRate: judged ? Math.round(((c.pass + (c.warn ?? 0)) / judged) * 1000) / 1000 : 1, failed: c.fail + (c.error ?? 0), billableTasks: r.billableTasks };
      }),
  }));
  return { window: { from: runs[0]?.startedAt, to: runs.at(-1)?.startedAt, runs: runs.length }, checks, providers };
}
