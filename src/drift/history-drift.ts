import type { RunResults } from '../report/build-results.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { Severity } from './diff-rules.ts';
import type { HistoryWindow, Night, Series } from './history-series.ts';
import type { LoadedNight } from './load-night.ts';
import { compareRuns, type FactChange, type NotCompared } from './run-changes.ts';
import { runFacts } from './run-facts.ts';
import { runNotes } from './run-notes.ts';

/** A night as `drift --history` names it: when, which run, which history line and which results it read. */
export interface NightLabel {
  id: string;
  startedAt: string;
  line: number;
  /** the report folder(s) the history line names */
  reportDir: string;
}

/** A change, with the night it first showed in and the night before it. */
export type HistoryChange = FactChange & { appeared: NightLabel; previous: NightLabel };

export interface SeriesDrift {
  provider: string;
  target: string;
  nights: NightLabel[];
  /** pairs of nights compared */
  compared: number;
  unchanged: number;
  changes: HistoryChange[];
  /** a fact one night observed that the next could not judge (an outage, noise): not a change */
  notCompared: (NotCompared & { appeared: NightLabel; previous: NightLabel })[];
  /** nights whose results could not be read: their report folder missing, a results.json unreadable */
  missing: { night: NightLabel; reason: string }[];
  /** why the series judged nothing: fewer than two nights could be read */
  unjudged?: string;
  notes: string[];
}

export interface HistoryDrift {
  kind: 'history';
  file: string;
  window: HistoryWindow;
  /** consecutive: each night against the one before; first-last: the window's first night against its last */
  pairs: 'consecutive' | 'first-last';
  counts: Record<Severity, number>;
  series: SeriesDrift[];
}

const labelOf = (n: Night): NightLabel => ({
  id: n.id,
  startedAt: n.startedAt,
  line: n.line,
  reportDir: n.runs.map((r) => r.reportDir).join(', '),
});

/** One provider's part of a run: its providers entry and its results only. */
const narrowed = (r: RunResults, provider: string): RunResults => ({
  ...r,
  run: { ...r.run, providers: r.run.providers.filter((p) => p.id === provider) },
  results: r.results.filter((x) => x.provider === provider),
});

type Read = Extract<LoadedNight, { results: RunResults }>;

/** One pair of nights of a provider: its changes and facts not compared, labelled with the nights. */
function comparePair(provider: string, b: Read, a: Read, specs: ReadonlyMap<string, ProviderSpec>, into: SeriesDrift) {
  const [before, after] = [b, a].map((x) => ({ file: x.file, results: narrowed(x.results, provider) }));
  const c = compareRuns(
    { ...before!, facts: runFacts(before!.results, specs) },
    { ...after!, facts: runFacts(after!.results, specs) },
    [],
  );
  const [previous, appeared] = [labelOf(b.night), labelOf(a.night)];
  into.compared += 1;
  into.unchanged += c.unchanged;
  into.changes.push(...c.changes.map((x) => ({ ...x, appeared, previous })));
  into.notCompared.push(...c.notCompared.map((x) => ({ ...x, appeared, previous })));
  const when = `${previous.startedAt.slice(0, 10)} → ${appeared.startedAt.slice(0, 10)}`;
  into.notes.push(...runNotes(before!, after!).map((n) => `${when}: ${n}`));
}

/** A series' nights read back, compared consecutively (or its first against its last). */
export function seriesDrift(
  series: Series,
  loaded: LoadedNight[],
  specs: ReadonlyMap<string, ProviderSpec>,
  pairs: HistoryDrift['pairs'],
): SeriesDrift {
  const out: SeriesDrift = {
    provider: series.provider,
    target: series.target,
    nights: series.nights.map(labelOf),
    compared: 0,
    unchanged: 0,
    changes: [],
    notCompared: [],
    missing: loaded.flatMap((l) => ('missing' in l ? [{ night: labelOf(l.night), reason: l.missing }] : [])),
    notes: series.nights.flatMap((n) =>
      n.missingParts
        ? [
            `${n.id} (${n.startedAt}): no history line for its shard(s) ${n.missingParts.join(', ')}: ` +
              'their facts show as observed in one night only',
          ]
        : [],
    ),
  };
  const read = loaded.filter((l): l is Read => 'results' in l);
  if (read.length < 2) {
    out.unjudged =
      `${read.length ? 'one night' : 'no night'} of ${series.provider} (${series.target}) in the window could be ` +
      'read: nothing to compare';
    return out;
  }
  const steps: [Read, Read][] =
    pairs === 'first-last' ? [[read[0]!, read.at(-1)!]] : read.slice(1).map((a, i) => [read[i]!, a]);
  for (const [b, a] of steps) comparePair(series.provider, b, a, specs, out);
  return out;
}

/** The changes of every series, counted by severity. */
export function countChanges(series: SeriesDrift[]): Record<Severity, number> {
  const counts = { ERR: 0, WARN: 0, INFO: 0 };
  for (const c of series.flatMap((s) => s.changes)) counts[c.severity] += 1;
  return counts;
}

/** Whether the history could not be judged in full: a night unread, a fact unjudged, a series of one night. */
export const anyUnjudged = (d: HistoryDrift): boolean =>
  d.series.some((s) => s.unjudged || s.missing.length > 0 || s.notCompared.length > 0);
