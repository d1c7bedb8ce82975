import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import { redactValue } from '../core/redact.ts';
import type { RunResults } from './build-results.ts';
import { renderSummary } from './summary-markdown.ts';

/** Writes results.json and summary.md (atomically, redacted) and redacts junit.xml in place. Returns the summary. */
export function writeReport(dir: string, results: RunResults): string {
  const safe = redactValue(results);
  writeFileAtomic(join(dir, 'results.json'), JSON.stringify(safe, null, 2) + '\n');
  const summary = renderSummary(safe);
  writeFileAtomic(join(dir, 'summary.md'), summary);
  const junit = join(dir, 'junit.xml');
  if (existsSync(junit)) writeFileAtomic(junit, readFileSync(junit, 'utf8'));
  return summary;
}
