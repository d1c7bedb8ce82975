import { writeFolderAtomic } from '../core/atomic-dir.ts';
import { redactValue } from '../core/redact.ts';
import type { RunResults } from './build-results.ts';
import { renderJunit } from './junit-xml.ts';
import { renderSummary } from './summary-markdown.ts';
import { renderChanges, type RunChanges } from './compare-runs.ts';
import { toHistoryLine, type HistoryLine } from './history-line.ts';
import { historyStats } from './history-stats.ts';
import { runDashboard } from './run-dashboard.ts';
import { renderDashboardHtml } from './dashboard-html.ts';

/** The files every run writes beside each other. */
export const REPORT_FILES = ['results.json', 'junit.xml', 'summary.md', 'report.html'] as const;

/**
 * Writes results.json, junit.xml, summary.md and report.html: redacted first, as one unit (a new folder renamed into
 * place: never a mix of two runs' files). `history`: the runs before this one (report.html charts the runs against
 * the same target, this one last). Returns the summary.
 */
export function writeReport(
  dir: string,
  results: RunResults,
  changes?: RunChanges,
  history: HistoryLine[] = [],
): string {
  const safe = redactValue(results);
  // a nightly job reads what changed first
  const summary = changes
    ? renderSummary(safe).replace(/\n\n/, `\n\n${renderChanges(changes)}\n`)
    : renderSummary(safe);
  const runs = [
    ...history.filter((h) => h.target === safe.run.target && h.id !== safe.run.id),
    toHistoryLine(safe, dir),
  ];
  writeFolderAtomic(dir, {
    'results.json': `${JSON.stringify(safe, null, 2)}\n`,
    'junit.xml': renderJunit(safe),
    'summary.md': summary,
    'report.html': renderDashboardHtml(runDashboard(safe, historyStats(runs, Date.parse(safe.run.endedAt)), changes)),
  });
  return summary;
}
