import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where kling-conformance keeps what it can rebuild (parsed specs, compiled validators): the project's
 * node_modules/.cache/kling-conformance/, the folder build tools keep their caches in. None where the project has no
 * node_modules folder, or with KLING_CONFORMANCE_NO_CACHE=1. Entries are named by a SHA-256 of what they were made
 * from, so an edit never reads a stale one.
 */
export function cacheDir(): string | undefined {
  if (process.env.KLING_CONFORMANCE_NO_CACHE) return undefined;
  const modules = join(process.cwd(), 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'kling-conformance') : undefined;
}
