import { resolve } from 'node:path';
import type { Command } from 'commander';
import { assertWritable } from '../../core/atomic-write.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { verifyClient } from '../../traffic/verify-client.ts';

export async function verifyClientCommand(
  program: Command,
  flags: { provider: string; har: string[]; reportDir: string; strict?: boolean },
): Promise<number> {
  const spec = await loadSpecById(flags.provider, program.opts().specs);
  const dir = resolve(flags.reportDir);
  assertWritable(dir);
  const results = verifyClient(spec, flags.har, Boolean(flags.strict));
  console.log(writeReport(dir, results));
  process.stderr.write(`reports written to ${dir} (${REPORT_FILES.join(', ')})\n`);
  return exitCodeOf(results);
}
