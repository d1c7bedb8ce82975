// Which code the CLI runs. An installed package has dist/ (plain JavaScript) and no TypeScript sources.
// A checkout has src/ too: there dist/ is used when it was built after the last change to src/ or suites/ (`npm run
// build`; the e2e tests build it first; `npm ci` builds nothing), and otherwise the sources run through tsx, so an
// edit is never shadowed by a stale build and a fresh clone's CLI works before any build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUILD_STAMP = join(ROOT, 'dist', '.built');

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** 'dist' (built, and no newer source), or 'source' (a checkout whose build is missing or older than an edit). */
export function codeToRun() {
  // the package ships the JSON Schemas under src/ (where the docs link them), never the TypeScript entry point
  if (!existsSync(join(ROOT, 'src', 'cli', 'main.ts'))) return 'dist';
  if (!existsSync(BUILD_STAMP)) return 'source';
  const built = statSync(BUILD_STAMP).mtimeMs;
  return Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'suites'))) <= built ? 'dist' : 'source';
}
