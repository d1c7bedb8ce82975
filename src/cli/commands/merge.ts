import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { redact } from '../../core/redact.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { mergeResults, readResults } from '../../report/merge-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { readHistory } from '../../report/history-line.ts';
import { appendHistory } from '../../report/append-history.ts';
import { assertWritable } from '../../core/atomic-write.ts';
import type { ExitRecorder } from '../register-commands.ts';

export function registerMerge(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('merge')
    .description('join the reports of a sharded run (run --shard i/n on several machines) into the one results.json, junit.xml, summary.md and report.html a single run would have written')
    .argument('<reports...>', 'report dirs (or their results.json) of the shards')
    .option('--report-dir <dir>', 'where the merged reports go', 'reports/merged')
    .option('--history <file>', 'append the merged run here (one line, as a single run appends)')
    .option('--quiet', 'do not print the summary')
    .action(
      withExitCode(async (reports: string[], flags: { reportDir: string; history?: string; quiet?: boolean }) => {
        const files = reports.map((r) => (existsSync(r) && statSync(r).isDirectory() ? join(r, 'results.json') : r));
        const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
        const merged = mergeResults(files.map((file) => ({ file, results: readResults(file) })), version);
        const dir = resolve(flags.reportDir);
        assertWritable(dir, flags.history ? resolve(flags.history) : undefined);
        const summary = writeReport(dir, merged, undefined, flags.history ? readHistory(resolve(flags.history)).lines : []);
        if (!flags.quiet) console.log(redact(summary));
        if (flags.history) appendHistory(resolve(flags.history), merged, dir);
        process.stderr.write(`merged ${files.length} shard(s) into ${dir} (${REPORT_FILES.join(', ')})\n`);
        return exitCodeOf(merged);
      }),
    );
}
