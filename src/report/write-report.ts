import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { redactValue } from '../core/redact.ts';
import type { RunResults } from './build-results.ts';
import { renderJunit } from './junit-xml.ts';
import { renderSummary } from './summary-markdown.ts';
import { renderChanges, type RunChanges } from './compare-runs.ts';

/** Writes results.json, junit.xml and summary.md: redacted first, each atomically. Returns the summary. */
export function writeReport(dir: string, results: RunResults, changes?: RunChanges): string {
  const safe = redactValue(results);
  writeFileAtomic(join(dir, 'results.json'), JSON.stringify(safe, null, 2) + '\n');
  writeFileAtomic(join(dir, 'junit.xml'), renderJunit(safe));
  // a nightly job reads what changed first
  const summary = changes ? renderSummary(safe).replace(/\n\n/, `\n\n${renderChanges(changes)}\n`) : renderSummary(safe);
  writeFileAtomic(join(dir, 'summary.md'), summary);
  return summary;
}
