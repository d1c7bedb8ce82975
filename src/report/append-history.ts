import { join } from 'node:path';
import { appendLineAtomic } from '../core/atomic-write.ts';
import type { RunResults } from './build-results.ts';

/**
 * One line per run in <reports root>/history.jsonl: when, against what, and the counts per provider, so a
 * nightly monitor can see a provider's conformance change over time. Appended with one O_APPEND write: concurrent
 * runs and a crash mid-write never lose or tear a line.
 */
export function appendHistory(root: string, r: RunResults, reportDir: string): string {
  const file = join(root, 'history.jsonl');
  const line = JSON.stringify({ id: r.run.id, startedAt: r.run.startedAt, target: r.run.target, providers: r.run.providers.map((p) => p.id), summary: { pass: r.summary.pass, fail: r.summary.fail, warn: r.summary.warn, info: r.summary.info, skip: r.summary.skip, error: r.summary.error }, incomplete: r.run.incomplete ? true : undefined, byProvider: r.summary.byProvider, failed: r.results.filter((x) => x.status === 'fail').map((x) => `${x.provider} ${x.id}`), reportDir });
  appendLineAtomic(file, line);
  return file;
}
