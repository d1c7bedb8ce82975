// Global setup of both test projects: every temp folder a test makes (os.tmpdir(), in the test process, in the CLI
// processes it starts and in their vitest workers) is made under one folder of this run, removed when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VAR = 'KC_TEST_TEMP_ROOT';

export default function setup(): () => void {
  // both projects (unit, e2e) run this in one process: the first makes the folder, the last removes it
  const root = process.env[VAR] ?? mkdtempSync(join(tmpdir(), 'kc-tests-'));
  const made = !process.env[VAR];
  process.env[VAR] = root;
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (!made) return;
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env[VAR];
    rmSync(root, { recursive: true, force: true });
  };
}
