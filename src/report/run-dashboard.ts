import type { RunResults } from './build-results.ts';
import type { RunChanges } from './compare-runs.ts';
import { causeLines, findCauses, STATUS_ORDER } from './causes.ts';
import { chartsOf } from './dashboard-charts.ts';
import { anchorOf, type DashboardModel, groupSkips, stepsOf } from './dashboard-model.ts';
import { findingLine, repeatsMessage } from './finding-text.ts';
import { noiseByProvider } from './gateway-noise.ts';
import type { HistoryStats } from './history-stats.ts';
import { billableTasksLine, runFacts, runName, runNotes, runTimes } from './run-label.ts';

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
    // a proxy session counts the tasks it saw created (and says which creates may have made more)
    ...(r.run.subject?.kind === 'proxy'
      ? [billableTasksLine(r.run, s.billableTasks.created, s.billableTasks.acceptedInvalid)]
      : []),
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
