// A test's own temp folders: made under the run's temp root (test/support/temp-root.ts) and removed when the test
// file's tests end (test/support/remove-temp-folders.ts), so a run leaves nothing behind (temp-root.ts fails the run
// if a `kc-` folder is left over).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** every folder made in this process and not yet removed (one list and one exit handler however often imported) */
const KEY = Symbol.for('kling-conformance.temp-folders');
const shared = globalThis as { [KEY]?: Set<string> };
const pending = (shared[KEY] ??= (() => {
  const dirs = new Set<string>();
  // at exit: outside a test file (scripts/dead-worker-trials.ts), and a folder made by a test that timed out and kept
  // running past its file's afterAll
  process.once('exit', () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return dirs;
})());

/**
 * Removes every folder made since the last call. test/support/remove-temp-folders.ts (a setup file of both test
 * projects) calls it after each test file's tests: a worker runs its files one after another, so these are the file's.
 */
export function removeTempFolders(): void {
  for (const dir of pending) rmSync(dir, { recursive: true, force: true });
  pending.clear();
}

/** A fresh empty folder (`<tmpdir>/<prefix>XXXXXX`), removed after this test file's tests. */
export function tempFolder(prefix = 'kc-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  pending.add(dir);
  return dir;
}
