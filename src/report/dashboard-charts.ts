import { type Chart, domId } from './dashboard-model.ts';
import type { HistoryStats, ProviderRun } from './history-stats.ts';

const seconds = (iso: string) => Math.round(Date.parse(iso) / 1000);
const HALF_DAY = 12 * 3600;
/** "2026-12-04 09:35 UTC" */
const utcMinute = (unixSeconds: number) =>
  `${new Date(unixSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * A chart of one run has no trend: its x axis would span years with the point at an edge. It gets the day around
 * the run as its range, and says so.
 */
function withSingleRun(chart: Chart): Chart {
  const only = chart.x[0];
  if (only === undefined || chart.x.some((t) => t !== only)) return chart;
  return {
    ...chart,
    xRange: [only - HALF_DAY, only + HALF_DAY],
    note: `one run so far (${utcMinute(only)}): no trend yet`,
  };
}

/** The charts over a history window: pass rate per provider, latency per provider, spend per currency. */
export function chartsOf(stats: HistoryStats): Chart[] {
  const times = [...new Set(stats.providers.flatMap((p) => p.runs.map((r) => r.startedAt)))].sort();
  const x = times.map(seconds);
  // every provider's series on the same x: null where a run did not include the provider
  const at = (runs: ProviderRun[], pick: (r: ProviderRun) => number | undefined) => {
    const byTime = new Map(runs.map((r) => [r.startedAt, r]));
    return times.map((t) => {
      const run = byTime.get(t);
      return run ? (pick(run) ?? null) : null;
    });
  };
  const charts: Chart[] = [];
  const regressions = stats.steps
    .filter((st) => st.newlyFailing.length)
    .map((st) => ({ x: seconds(st.startedAt), label: `${st.id}: newly failing ${st.newlyFailing.join(', ')}` }));
  if (times.length) {
    charts.push({
      id: 'chart-pass-rate',
      title: 'Pass rate per provider (judged checks that passed)',
      unit: '%',
      x,
      yRange: [0, 100],
      markers: regressions,
      series: stats.providers.map((p) => ({
        label: p.provider,
        values: at(p.runs, (r) => Math.round(r.passRate * 1000) / 10),
      })),
    });
  }
  for (const p of stats.providers) {
    if (!p.runs.some((r) => r.totalMs !== undefined || r.queuedMs !== undefined)) continue;
    const s = (ms?: number) => (ms === undefined ? undefined : Math.round(ms / 100) / 10);
    charts.push({
      id: domId(`chart-latency-${p.provider}`),
      title: `Latency: ${p.provider} (queued, generating, total to a downloaded video)`,
      unit: 's',
      x,
      markers: regressions,
      series: [
        { label: 'queued', values: at(p.runs, (r) => s(r.queuedMs)) },
        { label: 'generating', values: at(p.runs, (r) => s(r.generatingMs)) },
        { label: 'total', values: at(p.runs, (r) => s(r.totalMs)) },
      ],
    });
  }
  const currencies = [...new Set(stats.spend.flatMap((r) => Object.keys(r.documented)))].sort();
  const spendTimes = stats.spend.map((r) => r.startedAt);
  for (const currency of currencies) {
    charts.push({
      id: domId(`chart-spend-${currency}`),
      title: `Spend per run (documented prices, ${currency})`,
      unit: currency,
      x: spendTimes.map(seconds),
      series: [{ label: currency, values: stats.spend.map((r) => r.documented[currency] ?? 0) }],
    });
  }
  return charts.map(withSingleRun);
}
