import { appendLineAtomic } from '../core/atomic-write.ts';
import { redactValue } from '../core/redact.ts';
import type { RunResults } from './build-results.ts';
import { toHistoryLine, type HistoryLine } from './history-line.ts';

/**
 * One line per run in <reports root>/history.jsonl: when, against what, and the counts per provider, so a
 * nightly monitor can see a provider's conformance change over time. Appended with one O_APPEND write: concurrent
 * runs and a crash mid-write never lose or tear a line.
 */
export function appendHistory(file: string, r: RunResults, reportDir: string): HistoryLine {
  // a line carries verdict messages, which may quote what a gateway echoed: redacted like every report
  const line = redactValue(toHistoryLine(r, reportDir));
  appendLineAtomic(file, JSON.stringify(line));
  return line;
}
