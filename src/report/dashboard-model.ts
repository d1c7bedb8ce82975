import type { CheckStatus } from '../checks/types.ts';
import type { RunResults } from './build-results.ts';
import type { RunChanges } from './compare-runs.ts';
import { causeLines, findCauses, STATUS_ORDER } from './causes.ts';
import { findingLine, repeatsMessage } from './finding-text.ts';
import { runFacts, runName, runNotes, runTimes } from './run-label.ts';
import { noiseByProvider } from './gateway-noise.ts';
import { coverageAgeText, FLAKY_FLIPS, percent, type HistoryStats, type ProviderRun } from './history-stats.ts';
import { describeStep } from './history-markdown.ts';
import { hasChanges } from './run-steps.ts';

/**
 * What the HTML dashboard shows, as plain data: built here (pure, tested without a browser), drawn by
 * dashboard-html.ts. The page's script only hands `charts` to the charting library.
 */
export interface DashboardModel {
  title: string;
  /** lines under the title: counts, window, spend */
  facts: string[];
  /** one cause behind many findings, with a hint (a wrong base URL: every request got 404) */
  causes?: string[];
  /** "what changed since the reference run" (a run's report.html with --compare-to) */
  changes?: string[];
  matrix: Matrix;
  /** the non-passing cells, each with its evidence */
  details: { anchor: string; heading: string; status: CheckStatus; lines: string[]; curl?: string }[];
  /** skip reasons, each with the cells it kept from running */
  skipped: { reason: string; cells: string[] }[];
  charts: Chart[];
  /** run-to-run changes, newest first */
  steps: { id: string; startedAt: string; lines: string[] }[];
  /** `history --format html`: each check's status run by run, oldest first (checks not passing now first) */
  timelines?: { label: string; current: CheckStatus; cells: { status: CheckStatus; title: string }[] }[];
  /** history of live runs: per check when a live run last judged it, oldest (or never) first */
  coverage?: { provider: string; check: string; lastJudgedLive: string; age: string }[];
}

export interface Matrix {
  providers: string[];
  rows: { check: string; cells: Record<string, MatrixCell | undefined> }[];
}

export interface MatrixCell {
  status: CheckStatus;
  /** a short tooltip: since when, flake rate, the gist */
  title: string;
  /** the id of its entry in `details`, for cells that did not pass */
  anchor?: string;
}

/** One time-series chart: x in Unix seconds, one value list per series (null: no value that run). */
export interface Chart {
  id: string;
  title: string;
  unit: '%' | 's' | string;
  x: number[];
  series: { label: string; values: (number | null)[] }[];
  /** fixed y range (e.g. 0–100 for a pass rate) */
  yRange?: [number, number];
  /** runs where a check newly failed (Unix seconds): drawn as vertical lines across the chart */
  markers?: { x: number; label: string }[];
  /** fixed x range (Unix seconds): a single run is drawn in the middle of its own day, not at the edge of years */
  xRange?: [number, number];
  /** a line under the title: "one run so far (…): no trend yet" */
  note?: string;
}

/** an element id that is also a plain CSS selector: letters, digits, _ and - only */
const domId = (text: string) => text.replace(/[^\w-]/g, '_');
const anchorOf = (provider: string, check: string) => domId(`d-${provider}-${check}`);
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

function stepsOf(stats: HistoryStats): DashboardModel['steps'] {
  return stats.steps
    .filter(hasChanges)
    .reverse()
    .map((s) => ({ id: s.id, startedAt: s.startedAt, lines: describeStep(s, (x) => x) }));
}

function groupSkips(cells: { provider: string; check: string; reason: string }[]): DashboardModel['skipped'] {
  const byReason = new Map<string, string[]>();
  for (const c of cells)
    (byReason.get(c.reason) ?? byReason.set(c.reason, []).get(c.reason)!).push(`${c.provider} ${c.check}`);
  return [...byReason].map(([reason, which]) => ({ reason, cells: which }));
}

/** Each check's status run by run, the checks not passing now first (then by provider and check). */
function timelinesOf(stats: HistoryStats): NonNullable<DashboardModel['timelines']> {
  return [...stats.checks]
    .sort((a, b) => STATUS_ORDER[a.current] - STATUS_ORDER[b.current])
    .map((c) => ({
      label: `${c.provider} · ${c.check}`,
      current: c.current,
      cells: c.timeline.map((t) => ({ status: t.status, title: `${t.id} (${t.startedAt}): ${t.status}` })),
    }));
}

/** `history --format html`: the newest status of every (provider, check) in the window, and the trends. */
export function historyDashboard(stats: HistoryStats): DashboardModel {
  const providers = [...new Set(stats.checks.map((c) => c.provider))].sort();
  const checks = [...new Set(stats.checks.map((c) => c.check))].sort();
  const trend = new Map(stats.checks.map((c) => [`${c.provider} ${c.check}`, c]));
  const details: DashboardModel['details'] = [];
  const rows = checks.map((check) => ({
    check,
    cells: Object.fromEntries(
      providers.map((provider) => {
        const t = trend.get(`${provider} ${check}`);
        if (!t) return [provider, undefined];
        const anchor = t.current === 'pass' || t.current === 'skip' ? undefined : anchorOf(provider, check);
        const flaky = t.flips >= FLAKY_FLIPS ? ` · flaky (${t.flips} flips)` : '';
        const transient =
          t.transient.flakes + t.transient.unjudged
            ? ` · transient ${t.transient.flakes} passed on retry / ${t.transient.unjudged} unjudged`
            : '';
        const change = t.lastChange;
        if (anchor)
          details.push({
            anchor,
            heading: `${provider} · ${check} (${t.current})`,
            status: t.current,
            lines: [
              t.detail ?? '(no detail recorded)',
              `since ${t.since.id} (${t.since.startedAt})`,
              ...(change ? [`last change: ${change.from} → ${change.to} at ${change.id}`] : []),
              `flake rate ${percent(t.flakeRate)}${flaky}${transient}`,
            ],
          });
        return [
          provider,
          {
            status: t.current,
            title: `${t.current} since ${t.since.id}${flaky}${transient}${t.detail ? ` — ${t.detail}` : ''}`,
            anchor,
          },
        ];
      }),
    ),
  }));
  const spent = stats.spend.reduce<Record<string, number>>((acc, r) => {
    for (const [c, n] of Object.entries(r.documented)) acc[c] = Math.round(((acc[c] ?? 0) + n) * 100) / 100;
    return acc;
  }, {});
  const bad = stats.checks.filter((c) => c.current === 'fail' || c.current === 'error').length;
  return {
    title: `kling-conformance history: ${stats.window.runs} runs`,
    timelines: timelinesOf(stats),
    facts: [
      `${stats.window.from ?? '—'} → ${stats.window.to ?? '—'} (times in UTC)`,
      `${bad} failing now · ` +
        `${stats.checks.filter((c) => c.flips >= FLAKY_FLIPS).length} flaky · ` +
        `${stats.checks.filter((c) => c.transient.flakes + c.transient.unjudged > 0).length} ` +
        `with transient blips`,
      `spend over the window (documented prices): ${
        Object.entries(spent)
          .map(([c, n]) => `${n} ${c}`)
          .join(' + ') || 'none recorded'
      }`,

      ...shardedFacts(stats),
    ],
    matrix: { providers, rows },
    details,
    skipped: groupSkips(
      stats.checks
        .filter((c) => c.current === 'skip')
        .map((c) => ({ provider: c.provider, check: c.check, reason: c.detail ?? 'no reason recorded' })),
    ),
    charts: chartsOf(stats),
    steps: stepsOf(stats),
    ...coverageOf(stats),
  };
}

/** The nights run in shards, each one run: how many, and each incomplete one (it banks nothing). */
function shardedFacts(stats: HistoryStats): string[] {
  const nights = stats.shardedNights;
  if (!nights.length) return [];
  const incomplete = nights.filter((n) => n.problem);
  return [
    `${nights.length} night(s) run in shards, each counted as one run` +
      (incomplete.length
        ? ` · incomplete, banking nothing: ${incomplete.map((n) => `${n.id} (${n.problem})`).join('; ')}`
        : ''),
  ];
}

/** Coverage age per check of the providers a live run judged, oldest (or never) first. */
function coverageOf(stats: HistoryStats): Pick<DashboardModel, 'coverage'> {
  const live = new Set(stats.checks.filter((c) => c.lastJudgedLive).map((c) => c.provider));
  if (!live.size) return {};
  return {
    coverage: stats.checks
      .filter((c) => live.has(c.provider))
      .sort((a, b) => (b.coverageAgeHours ?? Infinity) - (a.coverageAgeHours ?? Infinity))
      .map((c) => ({
        provider: c.provider,
        check: c.check,
        lastJudgedLive: c.lastJudgedLive ?? 'never',
        age: coverageAgeText(c),
      })),
  };
}

const json = (v: unknown) => JSON.stringify(v) ?? String(v);

/** A run's report.html: this run's matrix with its full evidence, and the trends of the runs before it. */
export function runDashboard(r: RunResults, stats: HistoryStats, changes?: RunChanges): DashboardModel {
  const providers = r.run.providers.map((p) => p.id);
  const checks = [...new Set(r.results.map((x) => x.id))].sort();
  const byKey = new Map(r.results.map((x) => [`${x.provider} ${x.id}`, x]));
  // failures before warnings
  const details = [...r.results]
    .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status])
    .filter((x) => x.status !== 'pass' && x.status !== 'skip')
    .map(detailOf);
  const rows = checks.map((check) => ({
    check,
    cells: Object.fromEntries(
      providers.map((provider) => {
        const x = byKey.get(`${provider} ${check}`);
        return [
          provider,
          x
            ? {
                status: x.status,
                title: `${x.status}: ${x.message}`,
                anchor: x.status === 'pass' || x.status === 'skip' ? undefined : anchorOf(provider, check),
              }
            : undefined,
        ];
      }),
    ),
  }));
  return {
    title: `kling-conformance: ${runName(r.run)}`,
    causes: causeLines(findCauses(r.results)),
    facts: factsOf(r, stats),
    ...(changes
      ? {
          changes: [
            `since run ${changes.reference.id} (${changes.reference.startedAt})`,
            `newly failing (${changes.newlyFailing.length}): ${changes.newlyFailing.join(', ') || 'none'}`,
            ...(changes.unjudged.length
              ? [`could not be judged (transient; not newly failing): ${changes.unjudged.join(', ')}`]
              : []),
            `fixed (${changes.fixed.length}): ${changes.fixed.join(', ') || 'none'}`,
            `flaky (${changes.flaky.length}): ${changes.flaky.join(', ') || 'none'}`,
            `still failing: ${changes.stillFailing.length}`,
          ],
        }
      : {}),
    matrix: { providers, rows },
    details,
    skipped: groupSkips(
      r.results
        .filter((x) => x.status === 'skip')
        .map((x) => ({ provider: x.provider, check: x.id, reason: x.message })),
    ),
    charts: chartsOf(stats),
    steps: stepsOf(stats),
  };
}

/** One check that did not pass, with its evidence: message, expected, observed, source, findings, request ids. */
function detailOf(x: RunResults['results'][number]): DashboardModel['details'][number] {
  const lines = [
    x.message,
    ...(x.expected !== undefined ? [`expected: ${json(x.expected)}`] : []),
    ...(x.observed !== undefined ? [`observed: ${json(x.observed).slice(0, 400)}`] : []),
    ...(x.source ? [`source: ${x.source}`] : []),
    ...(x.matches?.length ? [`matches: ${x.matches.join('; ')}`] : []),
    // each piece of evidence once: a finding that only repeats the check's message is not listed again
    ...(x.findings ?? []).filter((f) => !repeatsMessage(f, x.message)).map(findingLine),
    ...(x.warnings ?? []).map((w) => `warning: ${w}`),
    ...(x.requestIds?.length ? [`request ids: ${x.requestIds.join(', ')}`] : []),
  ];
  return {
    anchor: anchorOf(x.provider, x.id),
    heading: `${x.provider} · ${x.id} (${x.status})`,
    status: x.status,
    lines,
    ...(x.curl ? { curl: x.curl } : {}),
  };
}

/** The lines under the title: the counts, the spend, whether the run is complete, where the trends come from. */
function factsOf(r: RunResults, stats: HistoryStats): string[] {
  const s = r.summary;
  const spend = r.run.spend;
  return [
    `${s.pass} passed, ${s.fail} failed, ${s.warn} warnings, ${s.info} observations, ${s.skip} skipped, ` +
      `${s.error} errors · ${runTimes(r.run)}`,
    runFacts(r.run),
    ...runNotes(r.run),
    ...(spend
      ? [
          [
            'spend this run (documented prices): ',
            Object.entries(spend.documented)
              .map(([c, n]) => `${n} ${c}`)
              .join(' + ') || '0',
            ` · billable tasks: ${spend.tasks}`,
            spend.budget
              ? ` · budget left: ${spend.budget.left} ${spend.budget.currency} of ${spend.budget.amount}`
              : '',
          ].join(''),
        ]
      : []),
    ...(r.run.incomplete
      ? [`incomplete run (harness error): ${r.run.incomplete.missing} planned check(s) reported no result`]
      : []),
    // every 429/5xx/timeout met, the retried-and-cleared ones too: a gateway's noise rate, run to run
    ...noiseByProvider(r.summary.noise ?? []).map(([p, phrase]) => `gateway noise, ${p}: ${phrase}`),
    trendsFact(stats, r.run.target),
  ];
}

/** Where the trends come from: the runs in the history (one run is no trend yet), or no history. */
function trendsFact(stats: HistoryStats, target: string): string {
  const { runs, from, to } = stats.window;
  if (!runs) return 'no history kept: the trends start with the next run that appends to one';
  if (runs === 1) return `trends below: one run against ${target} in the history so far (${from}): no trend yet`;
  return `trends below: ${runs} runs against ${target} in the history, ${from} → ${to}`;
}
