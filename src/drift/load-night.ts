import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import { packageVersion } from '../core/package-paths.ts';
import type { RunResults } from '../report/build-results.ts';
import { mergeResults } from '../report/merge-results.ts';
import type { Night } from './history-series.ts';
import { readRun } from './read-run.ts';

/** A night read back: its results (the shards' merged), or why it could not be (never a silent pass). */
export type LoadedNight = { night: Night; file: string; results: RunResults } | { night: Night; missing: string };

/**
 * Where a history line's report folder is now: as written (run writes it absolute), else beside the history file
 * (a nightly job that keeps the history and the report folders together, copied or restored elsewhere).
 */
export function locateReportDir(reportDir: string, historyFile: string): string | undefined {
  const besideHistory = join(dirname(historyFile), basename(reportDir));
  const written = isAbsolute(reportDir) ? reportDir : resolve(dirname(historyFile), reportDir);
  return [written, resolve(reportDir), besideHistory].find((dir) => existsSync(dir));
}

/** A night's results: its report folder's results.json, or its shards' merged as `merge` would. */
export function loadNight(night: Night, historyFile: string): LoadedNight {
  const read: { file: string; results: RunResults }[] = [];
  for (const run of night.runs) {
    const dir = locateReportDir(run.reportDir, historyFile);
    if (!dir)
      return {
        night,
        missing: `not compared: report folder missing (${run.reportDir}, history line ${run.line})`,
      };
    try {
      read.push(readRun(dir));
    } catch (err) {
      if (!(err instanceof HarnessError)) throw err;
      return { night, missing: `not compared: ${err.file ?? dir}: ${err.message} (history line ${run.line})` };
    }
  }
  if (read.length === 1) return { night, ...read[0]! };
  try {
    return { night, file: read.map((r) => r.file).join(', '), results: mergeResults(read, packageVersion()) };
  } catch (err) {
    if (!(err instanceof HarnessError)) throw err;
    return { night, missing: `not compared: its shards do not merge: ${err.message}` };
  }
}
