import { readResults } from '../../report/merge-results.ts';
import type { Command } from 'commander';
import { EXIT, HarnessError } from '../../core/errors.ts';
import { loadAllSpecs, loadSpecById } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { compareProviders } from '../../drift/compare.ts';
import { diffSpecs, reachesLevel } from '../../drift/diff-specs.ts';
import type { Severity } from '../../drift/diff-rules.ts';
import { loadSpecVersion } from '../../drift/load-version.ts';
import { observedDrift, renderUnjudged, unjudgedByNoise } from '../../drift/observed-drift.ts';
import { renderComparison, renderDiff, renderDrift, renderSelfDrift } from '../../drift/render-drift.ts';
import { selfDrift } from '../../drift/self-drift.ts';
import { crossDrift } from '../../drift/cross-drift.ts';
import { reportRunChanges } from './drift-between-action.ts';
import { reportHistoryChanges } from './drift-history-action.ts';
const checkFormat = (format: string) => {
  if (format !== 'md' && format !== 'json')
    throw new HarnessError('USAGE', `--format must be md or json (got ${format})`, {
      fix: 'use --format md or --format json',
    });
};

export async function diffSpecVersions(
  _program: Command,
  oldRef: string,
  newRef: string,
  flags: { failOn: string; format: string },
): Promise<number> {
  checkFormat(flags.format);
  if (!['ERR', 'WARN', 'INFO'].includes(flags.failOn))
    throw new HarnessError('USAGE', `--fail-on must be ERR, WARN or INFO (got ${flags.failOn})`, {
      fix: 'use --fail-on ERR',
    });
  const diff = diffSpecs(await loadSpecVersion(oldRef), await loadSpecVersion(newRef), { old: oldRef, new: newRef });
  console.log(flags.format === 'json' ? JSON.stringify(diff, null, 2) : renderDiff(diff));
  return reachesLevel(diff, flags.failOn as Severity) ? EXIT.FINDINGS : EXIT.OK;
}

interface DriftFlags {
  provider?: string[];
  all?: boolean;
  results?: string[];
  between?: string[];
  history?: string;
  since?: string;
  last?: string;
  firstLast?: boolean;
  failOn?: string;
  format: string;
}

/** One report per call: --between, --history, --results or --provider/--all; the history's window flags need it. */
function checkForms(flags: DriftFlags): void {
  const forms = [
    flags.between && '--between',
    flags.history && '--history',
    flags.results && '--results',
    // with --history, --provider picks the providers whose nights to compare
    (flags.all || (flags.provider && !flags.history)) && '--provider/--all',
  ];
  if (forms.filter(Boolean).length > 1)
    throw new HarnessError('USAGE', `${forms.filter(Boolean).join(' and ')} are different reports`, {
      fix: 'pass one of --between, --history, --results or --provider/--all',
    });
  const historyOnly = (['since', 'last', 'firstLast'] as const).filter((k) => flags[k] !== undefined);
  if (historyOnly.length && !flags.history)
    throw new HarnessError('USAGE', '--since, --last and --first-last apply to drift --history', {
      fix: 'pass --history <history.jsonl>, or drop them',
    });
}

export async function reportDrift(program: Command, flags: DriftFlags): Promise<number> {
  checkFormat(flags.format);
  checkForms(flags);
  const specsDir = program.opts().specs;
  if (flags.between) return reportRunChanges(specsDir, { ...flags, between: flags.between });
  if (flags.history) return reportHistoryChanges(specsDir, { ...flags, history: flags.history });
  if (flags.failOn)
    throw new HarnessError('USAGE', '--fail-on applies to drift --between and --history', {
      fix: 'drift --results exits 1 on any drift; drop --fail-on, or compare runs with --between or --history',
    });
  if (flags.results?.length) {
    const runs = flags.results.map(readResults);
    const ids = [...new Set(runs.flatMap((r) => r.run.providers.map((p) => p.id)))];
    const specs = new Map<string, ProviderSpec>(
      (await Promise.all(ids.map((id) => loadSpecById(id, specsDir)))).map((s) => [s.id, s]),
    );
    const items = observedDrift(runs, specs);
    const unjudged = unjudgedByNoise(runs);
    console.log(
      flags.format === 'json'
        ? JSON.stringify({ kind: 'observed', providers: ids, items, ...(unjudged.length ? { unjudged } : {}) }, null, 2)
        : renderDrift(
            'Observed drift',
            `From ${flags.results.join(', ')}: where what was observed disagrees with the documented (chosen) claims.`,
            items,
            ids,
            unjudged.map((u) => u.provider),
          ) + renderUnjudged(unjudged),
    );
    // drift found: 1; none, but noise or missing evidence left checks unjudged: 2 (fail closed: no "no drift")
    return items.length ? EXIT.FINDINGS : unjudged.length ? EXIT.HARNESS : EXIT.OK;
  }
  if (!flags.all && !flags.provider?.length)
    throw new HarnessError('USAGE', 'say what to examine', {
      fix:
        'pass --provider <id>, --all, --results <results.json>, --between <before> <after>, or ' +
        '--history <history.jsonl>',
    });
  const specs = flags.all
    ? await loadAllSpecs(specsDir)
    : await Promise.all(flags.provider!.map((id) => loadSpecById(id, specsDir)));
  // --all also compares the providers with each other (and with upstream Kling as the specs cite it)
  const items = [...specs.flatMap(selfDrift), ...(flags.all ? crossDrift(specs) : [])];
  console.log(
    flags.format === 'json'
      ? JSON.stringify({ kind: 'self', providers: specs.map((s) => s.id), items }, null, 2)
      : renderSelfDrift(
          specs.map((x) => x.id),
          items,
        ),
  );
  return EXIT.OK;
}

export async function printComparison(
  program: Command,
  flags: { providers?: string; format: string },
): Promise<number> {
  checkFormat(flags.format);
  const specsDir = program.opts().specs;
  const specs = flags.providers
    ? await Promise.all(flags.providers.split(',').map((id) => loadSpecById(id.trim(), specsDir)))
    : await loadAllSpecs(specsDir);
  const comparison = compareProviders(specs);
  console.log(flags.format === 'json' ? JSON.stringify(comparison, null, 2) : renderComparison(comparison));
  return EXIT.OK;
}
