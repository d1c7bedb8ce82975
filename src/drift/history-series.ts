import type { HistoryRun } from './history-runs.ts';

/**
 * One night of a provider: a run's history line, or the lines of its shards (`run --shard i/n`, or `merge` of some),
 * each part once. `missingParts`: the shards of it the history has no line for.
 */
export interface Night {
  id: string;
  startedAt: string;
  target: string;
  /** the first history line of the night */
  line: number;
  runs: HistoryRun[];
  missingParts?: string[];
}

/** A provider's nights against one target (a mock run and a live run are not one series), oldest first. */
export interface Series {
  provider: string;
  target: string;
  nights: Night[];
}

export interface HistoryWindow {
  /** only these providers (default: every provider in the history) */
  providers?: string[];
  /** only runs started at or after this date (ISO 8601, e.g. 2026-11-01) */
  since?: string;
  /** only each series' last N nights */
  last?: number;
}

const partsOf = (r: HistoryRun) => r.shard?.parts ?? [];

/** The lines of one night to read: the one holding the most parts first, then each line adding parts not yet held. */
function nightOf(lines: HistoryRun[]): Night {
  const held = new Set<string>();
  const runs: HistoryRun[] = [];
  for (const r of [...lines].sort((a, b) => partsOf(b).length - partsOf(a).length || a.line - b.line)) {
    if (runs.length && (!partsOf(r).length || partsOf(r).some((p) => held.has(p)))) continue;
    runs.push(r);
    for (const p of partsOf(r)) held.add(p);
  }
  runs.sort((a, b) => a.line - b.line);
  const of = Number([...held][0]?.split('/')[1] ?? 0);
  const missingParts = Array.from({ length: of }, (_, i) => `${i + 1}/${of}`).filter((p) => !held.has(p));
  return {
    id: runs[0]!.shard?.runId ?? runs[0]!.id,
    startedAt: runs.map((r) => r.startedAt).sort()[0]!,
    target: runs[0]!.target,
    line: runs[0]!.line,
    runs,
    ...(missingParts.length ? { missingParts } : {}),
  };
}

/**
 * The series `drift --history` compares: per provider and target, its nights in the window, oldest first (a history
 * may hold mock and live runs, and the shards of one night on several lines).
 */
export function historySeries(runs: HistoryRun[], window: HistoryWindow): Series[] {
  const since = window.since ? Date.parse(window.since) : undefined;
  const inWindow = runs.filter((r) => since === undefined || Date.parse(r.startedAt) >= since);
  const providers = window.providers ?? [...new Set(inWindow.flatMap((r) => r.providers))].sort();
  const series: Series[] = [];
  for (const provider of providers) {
    const byNight = new Map<string, HistoryRun[]>();
    for (const r of inWindow.filter((x) => x.providers.includes(provider))) {
      const key = `${r.target} ${r.shard?.runId ?? r.id}`;
      byNight.set(key, [...(byNight.get(key) ?? []), r]);
    }
    const nights = [...byNight.values()].map(nightOf).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (const target of [...new Set(nights.map((n) => n.target))].sort()) {
      const mine = nights.filter((n) => n.target === target);
      series.push({ provider, target, nights: window.last ? mine.slice(-window.last) : mine });
    }
  }
  return series;
}
