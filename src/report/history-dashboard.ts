import { STATUS_ORDER } from './causes.ts';
import { chartsOf } from './dashboard-charts.ts';
import { anchorOf, type DashboardModel, groupSkips, stepsOf } from './dashboard-model.ts';
import { coverageAgeText, FLAKY_FLIPS, percent, type HistoryStats } from './history-stats.ts';

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
