import { resolve } from 'node:path';
import type { Command } from 'commander';
import { assertWritable } from '../../core/atomic-write.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { listSpecIds, loadSpecById } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { verifyClient } from '../../traffic/verify-client.ts';

export async function verifyClientCommand(
  program: Command,
  flags: { provider: string; har: string[]; reportDir: string; strict?: boolean },
): Promise<number> {
  const specsDir = program.opts().specs;
  const spec = await loadSpecById(flags.provider, specsDir);
  const dir = resolve(flags.reportDir);
  const undoCreated = assertWritable(dir);
  // every spec: a HAR another tool exported is told apart from another provider's traffic by the documented operations
  const others = await otherSpecs(specsDir);
  let results: ReturnType<typeof verifyClient>;
  try {
    results = verifyClient(spec, flags.har, Boolean(flags.strict), others);
  } catch (err) {
    // a HAR that cannot be read leaves no empty report folder behind
    undoCreated();
    throw err;
  }
  const subject = results.run.subject;
  if (subject?.kind === 'verify-client' && subject.leftOut)
    process.stderr.write(`left out of the judging: ${subject.leftOut.why}\n`);
  if (subject?.kind === 'verify-client' && subject.fingerprints)
    process.stderr.write(`key fingerprints: ${subject.fingerprints}\n`);
  console.log(writeReport(dir, results));
  process.stderr.write(`reports written to ${dir} (${REPORT_FILES.join(', ')})\n`);
  return exitCodeOf(results);
}

/** Every spec that loads (one that does not is no reason to refuse judging this provider's traffic). */
async function otherSpecs(specsDir: string | undefined): Promise<ProviderSpec[]> {
  const specs = await Promise.all(listSpecIds(specsDir).map((id) => loadSpecById(id, specsDir).catch(() => undefined)));
  return specs.filter((s) => s !== undefined);
}
