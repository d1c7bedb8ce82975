import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** True where `path` names an existing folder; a missing path is false, a file there is an ENOTDIR error. */
function isFolder(path: string): boolean {
  try {
    if (statSync(path).isDirectory()) return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  throw Object.assign(new Error(`not a folder: ${path}`), { code: 'ENOTDIR', path });
}

/**
 * `mkdir -p` that always ends: Node 20's `mkdirSync(…, { recursive: true })` spins forever where a level cannot be
 * made inside an existing parent (ENOENT from a special file system such as /proc, answered EEXIST for the parent).
 * This walks up to the nearest existing folder and makes each missing level with one plain mkdir, so every failure
 * (ENOENT, EACCES, EROFS, ENOTDIR, a file in the way) is thrown at once as the errno error for the caller to name.
 * Returns the first folder it made (as `mkdirSync(…, { recursive: true })` does), undefined when all were there.
 */
export function makeFolder(path: string): string | undefined {
  const missing: string[] = [];
  let level = resolve(path);
  while (!isFolder(level)) {
    missing.unshift(level);
    const parent = dirname(level);
    if (parent === level) break;
    level = parent;
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      // another writer made it meanwhile: fine only where a folder now stands
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !isFolder(dir)) throw err;
    }
  }
  return missing[0];
}
