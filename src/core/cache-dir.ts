import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_ROOT } from './package-paths.ts';

/**
 * Where kling-conformance keeps what it can rebuild (parsed specs, compiled validators): KLING_CONFORMANCE_CACHE_DIR
 * when set, else the project's node_modules/.cache/kling-conformance/, the folder build tools keep their caches in.
 * None where the project has no node_modules folder, or with KLING_CONFORMANCE_NO_CACHE=1. Entries are named by a
 * SHA-256 of what they were made from, so an edit never reads a stale one.
 */
export function cacheDir(): string | undefined {
  if (process.env.KLING_CONFORMANCE_NO_CACHE) return undefined;
  if (process.env.KLING_CONFORMANCE_CACHE_DIR) return process.env.KLING_CONFORMANCE_CACHE_DIR;
  const modules = join(process.cwd(), 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'kling-conformance') : undefined;
}

/**
 * The entries the build made for the built-in specs (dist/cache/, shipped in the package: `npm run build` writes them
 * with scripts/warm-cache.mjs), read when the project's own cache has none — so the first command after an install
 * starts as fast as every later one. Never written at run time; none when running from source, or with
 * KLING_CONFORMANCE_NO_CACHE=1. Same names as the project cache: an edited spec, another harness version or another
 * ajv simply misses.
 */
export function shippedCacheDir(): string | undefined {
  if (process.env.KLING_CONFORMANCE_NO_CACHE) return undefined;
  const dir = join(CODE_ROOT, 'cache');
  return existsSync(dir) ? dir : undefined;
}
