import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic-write.ts';
import type { RunResults } from './build-results.ts';

/**
 * One line per run in <reports root>/history.jsonl: when, against what, and the counts per provider, so a
 * nightly monitor can see a provider's conformance change over time. Rewritten atomically (read, append,
 * temp file, rename): a crash mid-write never loses earlier history.
 */
export function appendHistory(root: string, r: RunResults, reportDir: string): string {
  const file = join(root, 'history.jsonl');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const line = JSON.stringify({ id: r.run.id, startedAt: r.run.startedAt, target: r.run.target, providers: r.run.providers.map((p) => p.id), summary: { pass: r.summary.pass, fail: r.summary.fail, skip: r.summary.skip, error: r.summary.error }, byProvider: r.summary.byProvider, failed: r.results.filter((x) => x.status === 'fail').map((x) => `${x.provider} ${x.id}`), reportDir });
  writeFileAtomic(file, `${previous}${previous && !previous.endsWith('\n') ? '\n' : ''}${line}\n`);
  return file;
}
