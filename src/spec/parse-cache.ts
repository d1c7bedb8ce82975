import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageVersion } from '../core/package-paths.ts';
import { cacheDir, shippedCacheDir } from '../core/cache-dir.ts';
import { makeFolder } from '../core/make-folder.ts';

/**
 * Parsed spec data kept between runs, by the SHA-256 of the spec's text, in the project's
 * node_modules/.cache/kling-conformance/ (the folder build tools keep their caches in): YAML with positions costs
 * ~35 ms a spec, reading the JSON back well under 1 ms. Only the very same text gets its data back; nothing is cached
 * where the project has no node_modules folder, or with KLING_CONFORMANCE_NO_CACHE=1. The build ships entries for the
 * built-in specs (see shippedCacheDir). A cache that cannot be read or written is just not used.
 */
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

/** What a cache entry holds: the parsed data, and whether this text passed the structural validation. */
export interface CachedParse {
  data: Record<string, unknown>;
  validated: boolean;
}

/**
 * What a cached "validated" depends on besides the text: this harness's version, our x-conformance schema and the
 * OpenAPI validator's version. A newer harness (or an edited schema) judges every spec again.
 */
let judgeTag: string | undefined;
function entryFile(dir: string, digest: string): string {
  judgeTag ??= createHash('sha256')
    .update(packageVersion())
    .update(readFileSync(new URL('./x-conformance.schema.json', import.meta.url)))
    .update(
      (createRequire(import.meta.url)('@seriousme/openapi-schema-validator/package.json') as { version: string })
        .version,
    )
    .digest('hex')
    .slice(0, 16);
  return join(dir, `${digest}.${judgeTag}.json`);
}

export function cachedParse(digest: string): CachedParse | undefined {
  for (const dir of [cacheDir(), shippedCacheDir()]) {
    const entry = dir === undefined ? undefined : readEntry(entryFile(dir, digest));
    if (entry) return entry;
  }
  return undefined;
}

function readEntry(file: string): CachedParse | undefined {
  try {
    if (!existsSync(file) || statSync(file).size > MAX_ENTRY_BYTES) return undefined;
    const entry = JSON.parse(readFileSync(file, 'utf8')) as Partial<CachedParse> | null;
    const data = entry?.data;
    return data && typeof data === 'object' && !Array.isArray(data)
      ? { data, validated: entry.validated === true }
      : undefined;
  } catch {
    return undefined;
  }
}

export function storeParse(digest: string, entry: CachedParse): void {
  const dir = cacheDir();
  if (!dir) return;
  // temp file and rename: a reader sees the whole entry or none. (Not writeFileAtomic: that one redacts, and the
  // cache must give back exactly what the text parsed to; spec data holds no secrets.)
  const file = entryFile(dir, digest);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    makeFolder(dir);
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, file);
  } catch {
    // a read-only or full disk: the next run parses again
  }
}
