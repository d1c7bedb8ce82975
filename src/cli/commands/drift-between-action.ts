import { EXIT, HarnessError } from '../../core/errors.ts';
import { listSpecIds, loadSpecById } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { reachesLevel } from '../../drift/diff-specs.ts';
import type { Severity } from '../../drift/diff-rules.ts';
import { readRun } from '../../drift/read-run.ts';
import { compareRuns } from '../../drift/run-changes.ts';
import { runFacts } from '../../drift/run-facts.ts';
import { runNotes } from '../../drift/run-notes.ts';
import { renderRunComparison } from '../../drift/render-run-changes.ts';

const LEVELS = ['ERR', 'WARN', 'INFO'];

/**
 * `drift --between <before> <after>`: where the gateways' observed behaviour changed from one run to the other.
 * Exit 1 when a change reaches --fail-on (default WARN); none, but facts one run could not judge: 2 (fail closed,
 * "nothing changed" was not shown); else 0.
 */
export async function reportRunChanges(
  specsDir: string | undefined,
  flags: { between: string[]; failOn?: string; format: string },
): Promise<number> {
  if (flags.between.length !== 2)
    throw new HarnessError('USAGE', `--between takes two runs, before and after (got ${flags.between.length})`, {
      fix: 'pass --between <before results.json or report folder> <after results.json or report folder>',
    });
  const failOn = flags.failOn ?? 'WARN';
  if (!LEVELS.includes(failOn))
    throw new HarnessError('USAGE', `--fail-on must be ERR, WARN or INFO (got ${failOn})`, {
      fix: 'use --fail-on WARN',
    });
  const [before, after] = flags.between.map(readRun) as [ReturnType<typeof readRun>, ReturnType<typeof readRun>];
  const known = new Set(listSpecIds(specsDir));
  const ids = [...new Set([before, after].flatMap((r) => r.results.run.providers.map((p) => p.id)))];
  const specs = new Map<string, ProviderSpec>(
    (await Promise.all(ids.filter((id) => known.has(id)).map((id) => loadSpecById(id, specsDir)))).map((s) => [
      s.id,
      s,
    ]),
  );
  const notes = runNotes(before, after);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length)
    notes.push(`no spec here for ${unknown.join(', ')}: their error codes are not read (every other fact is compared)`);
  const comparison = compareRuns(
    { ...before, facts: runFacts(before.results, specs) },
    { ...after, facts: runFacts(after.results, specs) },
    notes,
  );
  console.log(flags.format === 'json' ? JSON.stringify(comparison, null, 2) : renderRunComparison(comparison));
  if (reachesLevel(comparison, failOn as Severity)) return EXIT.FINDINGS;
  if (!comparison.notCompared.length) return EXIT.OK;
  console.error(
    `kling-conformance: UNJUDGED: ${comparison.notCompared.length} facts observed in one run were not judged in ` +
      'the other (an outage or gateway noise), so "nothing changed" is not shown\n  fix: compare again with a run ' +
      'that judged them',
  );
  return EXIT.HARNESS;
}
