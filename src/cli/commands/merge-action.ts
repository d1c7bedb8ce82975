import { existsSync, statSync } from 'node:fs';
import { packageVersion } from '../../core/package-paths.ts';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { redact } from '../../core/redact.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { mergeResults, readResults } from '../../report/merge-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { readHistory } from '../../report/history-line.ts';
import { appendHistory } from '../../report/append-history.ts';
import { assertWritable } from '../../core/atomic-write.ts';
export async function mergeShards(
  _program: Command,
  reports: string[],
  flags: { reportDir: string; history?: string; quiet?: boolean },
): Promise<number> {
  const files = reports.map((r) => (existsSync(r) && statSync(r).isDirectory() ? join(r, 'results.json') : r));
  const version = packageVersion();
  const merged = mergeResults(
    files.map((file) => ({ file, results: readResults(file) })),
    version,
  );
  const dir = resolve(flags.reportDir);
  assertWritable(dir, flags.history ? resolve(flags.history) : undefined);
  const summary = writeReport(dir, merged, undefined, flags.history ? readHistory(resolve(flags.history)).lines : []);
  if (!flags.quiet) console.log(redact(summary));
  if (flags.history) appendHistory(resolve(flags.history), merged, dir);
  process.stderr.write(`merged ${files.length} shard(s) into ${dir} (${REPORT_FILES.join(', ')})\n`);
  return exitCodeOf(merged);
}
