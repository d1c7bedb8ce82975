import { resolve } from 'node:path';
import type { Command } from 'commander';
import { assertWritable } from '../../core/atomic-write.ts';
import { HarnessError } from '../../core/errors.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { listSpecIds, loadSpecById } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { verifyClient } from '../../traffic/verify-client.ts';

export async function verifyClientCommand(
  program: Command,
  flags: { provider?: string; har?: string[]; reportDir: string; strict?: boolean },
): Promise<number> {
  const specsDir = program.opts().specs;
  const { provider, har } = requiredFlags(flags, specsDir);
  const spec = await loadSpecById(provider, specsDir);
  const dir = resolve(flags.reportDir);
  const undoCreated = assertWritable(dir);
  // every spec: a HAR another tool exported is told apart from another provider's traffic by the documented operations
  const others = await otherSpecs(specsDir);
  let results: ReturnType<typeof verifyClient>;
  try {
    results = verifyClient(spec, har, Boolean(flags.strict), others);
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

/** --provider and --har, or a usage error that says how to give them (commander's own would name no fix). */
function requiredFlags(
  flags: { provider?: string; har?: string[] },
  specsDir: string | undefined,
): { provider: string; har: string[] } {
  const usage = 'kling-conformance verify-client --provider <id> --har <file>';
  if (!flags.provider)
    throw new HarnessError('USAGE', 'say which provider the client talked to: --provider is missing', {
      fix: `${usage} (providers: ${listSpecIds(specsDir).join(', ')})`,
    });
  if (!flags.har?.length)
    throw new HarnessError('USAGE', 'say which recording to judge: --har is missing', {
      fix: `${usage.replace('<id>', flags.provider)} (a HAR from mock --record, proxy --record or another tool)`,
    });
  return { provider: flags.provider, har: flags.har };
}

/** Every spec that loads (one that does not is no reason to refuse judging this provider's traffic). */
async function otherSpecs(specsDir: string | undefined): Promise<ProviderSpec[]> {
  const specs = await Promise.all(listSpecIds(specsDir).map((id) => loadSpecById(id, specsDir).catch(() => undefined)));
  return specs.filter((s) => s !== undefined);
}
