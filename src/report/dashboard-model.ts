import type { CheckStatus } from '../checks/types.ts';
import { describeStep } from './history-markdown.ts';
import type { HistoryStats } from './history-stats.ts';
import { hasChanges } from './run-steps.ts';

/**
 * What the HTML dashboard shows, as plain data: built by run-dashboard.ts (a run's report.html) and
 * history-dashboard.ts (`history --format html`), pure and tested without a browser; the pieces both share are here
 * and in dashboard-charts.ts. Drawn by dashboard-html.ts; the page's script only hands `charts` to the charting
 * library.
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
export const domId = (text: string) => text.replace(/[^\w-]/g, '_');
export const anchorOf = (provider: string, check: string) => domId(`d-${provider}-${check}`);

/** The run-to-run changes that changed something, newest first. */
export function stepsOf(stats: HistoryStats): DashboardModel['steps'] {
  return stats.steps
    .filter(hasChanges)
    .reverse()
    .map((s) => ({ id: s.id, startedAt: s.startedAt, lines: describeStep(s, (x) => x) }));
}

/** The skipped cells by the reason they were skipped for. */
export function groupSkips(cells: { provider: string; check: string; reason: string }[]): DashboardModel['skipped'] {
  const byReason = new Map<string, string[]>();
  for (const c of cells)
    (byReason.get(c.reason) ?? byReason.set(c.reason, []).get(c.reason)!).push(`${c.provider} ${c.check}`);
  return [...byReason].map(([reason, which]) => ({ reason, cells: which }));
}
