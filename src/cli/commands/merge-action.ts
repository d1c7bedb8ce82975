import { existsSync, statSync } from 'node:fs';
import { packageVersion } from '../../core/package-paths.ts';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { redact } from '../../core/redact.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { mergeResults, missingParts, readResults } from '../../report/merge-results.ts';
import type { RunResults } from '../../report/build-results.ts';
import { HarnessError } from '../../core/errors.ts';
import { shardSuiteFiles } from '../../run/suite-families.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { readHistory } from '../../report/history-line.ts';
import { appendHistory } from '../../report/append-history.ts';
import { assertWritable } from '../../core/atomic-write.ts';
export async function mergeShards(
  _program: Command,
  reports: string[],
  flags: { reportDir: string; history?: string; quiet?: boolean; allowMissingShards?: boolean },
): Promise<number> {
  const files = reports.map((r) => (existsSync(r) && statSync(r).isDirectory() ? join(r, 'results.json') : r));
  const version = packageVersion();
  const shards = files.map((file) => ({ file, results: readResults(file) }));
  const missing = missingParts(shards).map((shard) => ({ shard, suiteFiles: shardSuiteFiles(shard) }));
  if (missing.length && !flags.allowMissingShards) throw missingShardsError(shards[0]!.results, missing);
  const merged = mergeResults(shards, version, missing);
  const dir = resolve(flags.reportDir);
  assertWritable(dir, flags.history ? resolve(flags.history) : undefined);
  const summary = writeReport(dir, merged, undefined, flags.history ? readHistory(resolve(flags.history)).lines : []);
  if (!flags.quiet) console.log(redact(summary));
  if (flags.history) appendHistory(resolve(flags.history), merged, dir);
  process.stderr.write(`merged ${files.length} shard(s) into ${dir} (${REPORT_FILES.join(', ')})\n`);
  // --allow-missing-shards: the report is written and says what is missing, the run is still not whole (exit 2)
  if (missing.length) throw missingShardsError(merged, missing, dir);
  return exitCodeOf(merged);
}

/** RUN_INCOMPLETE: the shards not given, the suite files never judged, and the fix. */
function missingShardsError(r: RunResults, missing: { shard: string; suiteFiles: string[] }[], written?: string) {
  const which = missing.map((m) => `${m.shard} (${m.suiteFiles.join(', ')})`).join('; ');
  return new HarnessError(
    'RUN_INCOMPLETE',
    `shard(s) ${which} of run ${r.run.shardOf ?? r.run.id} are missing: their checks were not judged` +
      (written ? `; the report in ${written} says so` : ''),
    {
      fix: written
        ? "merge again with the missing shards' report dirs (or results.json) once they are there"
        : "pass every shard's report dir (or results.json), or --allow-missing-shards to write a report of the " +
          'shards given that names what is missing (the exit is still 2)',
    },
  );
}
