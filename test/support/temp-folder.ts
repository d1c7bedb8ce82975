// A test's own temp folders: made under the run's temp root (test/support/temp-root.ts) and removed when the test
// file's tests end, so a run leaves nothing behind (temp-root.ts fails the run if a `kc-` folder is left over).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
const removeMade = () => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
};
try {
  afterAll(removeMade);
} catch {
  // imported outside a test file (scripts/dead-worker-trials.ts): removed when the process exits
  process.once('exit', removeMade);
}

/** A fresh empty folder (`<tmpdir>/<prefix>XXXXXX`), removed after this test file's tests. */
export function tempFolder(prefix = 'kc-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
