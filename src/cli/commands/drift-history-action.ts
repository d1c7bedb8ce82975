import { resolve } from 'node:path';
import { EXIT, HarnessError } from '../../core/errors.ts';
import { listSpecIds, loadSpecById } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { reachesLevel } from '../../drift/diff-specs.ts';
import type { Severity } from '../../drift/diff-rules.ts';
import { anyUnjudged, countChanges, seriesDrift, type HistoryDrift } from '../../drift/history-drift.ts';
import { readHistoryRuns } from '../../drift/history-runs.ts';
import { historySeries, type HistoryWindow, type Night } from '../../drift/history-series.ts';
import { loadNight, type LoadedNight } from '../../drift/load-night.ts';
import { renderHistoryDrift } from '../../drift/render-history-drift.ts';

export interface HistoryFlags {
  history: string;
  provider?: string[];
  since?: string;
  last?: string;
  firstLast?: boolean;
  failOn?: string;
  format: string;
}

const usage = (message: string, fix: string) => new HarnessError('USAGE', message, { fix });

/** The window the flags ask for: --since a date, --last at least two nights. */
function windowOf(flags: HistoryFlags): HistoryWindow {
  if (flags.since !== undefined && Number.isNaN(Date.parse(flags.since)))
    throw usage(`--since must be a date (got ${flags.since})`, 'use an ISO 8601 date, e.g. --since 2026-11-01');
  const last = flags.last === undefined ? undefined : Number(flags.last);
  if (last !== undefined && (!Number.isInteger(last) || last < 2))
    throw usage(`--last must be a whole number of nights, 2 or more (got ${flags.last})`, 'use e.g. --last 7');
  return {
    ...(flags.provider?.length ? { providers: flags.provider } : {}),
    ...(flags.since !== undefined ? { since: flags.since } : {}),
    ...(last !== undefined ? { last } : {}),
  };
}

/** The specs of the providers the history ran that this checkout has (error codes are read against them). */
async function specsOf(ids: string[], specsDir: string | undefined): Promise<Map<string, ProviderSpec>> {
  const known = new Set(listSpecIds(specsDir));
  const specs = await Promise.all(ids.filter((id) => known.has(id)).map((id) => loadSpecById(id, specsDir)));
  return new Map(specs.map((s) => [s.id, s]));
}

/**
 * `drift --history <history.jsonl>`: where each provider's observed behaviour changed night by night (or from the
 * window's first night to its last), each change with the night it first showed in. Exit 1 when a change reaches
 * --fail-on (default WARN); else 2 when anything could not be judged (a report folder missing, a fact unjudged, a
 * provider with fewer than two nights); else 0.
 */
export async function reportHistoryChanges(specsDir: string | undefined, flags: HistoryFlags): Promise<number> {
  const failOn = (flags.failOn ?? 'WARN') as Severity;
  if (!['ERR', 'WARN', 'INFO'].includes(failOn))
    throw usage(`--fail-on must be ERR, WARN or INFO (got ${failOn})`, 'use --fail-on WARN');
  const window = windowOf(flags);
  const file = resolve(flags.history);
  const series = historySeries(readHistoryRuns(file), window);
  if (!series.length)
    throw new HarnessError('INPUT', `no run in the window (${JSON.stringify(window)})`, {
      file,
      fix: 'check --provider (a provider id the history ran), --since and --last',
    });
  const specs = await specsOf([...new Set(series.map((s) => s.provider))], specsDir);
  const pairs = flags.firstLast ? 'first-last' : 'consecutive';
  // a night of several providers is read once
  const read = new Map<string, LoadedNight>();
  const load = (n: Night) => {
    const key = n.runs.map((r) => r.reportDir).join('\n');
    if (!read.has(key)) read.set(key, loadNight(n, file));
    return { ...read.get(key)!, night: n };
  };
  const drifts = series.map((s) => seriesDrift(s, s.nights.map(load), specs, pairs));
  const drift: HistoryDrift = { kind: 'history', file, window, pairs, counts: countChanges(drifts), series: drifts };
  console.log(flags.format === 'json' ? JSON.stringify(drift, null, 2) : renderHistoryDrift(drift));
  if (reachesLevel({ changes: drifts.flatMap((s) => s.changes) }, failOn)) return EXIT.FINDINGS;
  if (!anyUnjudged(drift)) return EXIT.OK;
  console.error(
    'kling-conformance: UNJUDGED: part of the history could not be compared (a report folder missing, a fact ' +
      'unjudged, or a provider with fewer than two nights), so "nothing changed" is not shown\n  fix: see "Not ' +
      'compared" and "Not judged" in the report; keep the report folders beside the history',
  );
  return EXIT.HARNESS;
}
