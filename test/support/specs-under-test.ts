// Global setup of both test projects: the specs folder every spec-driven test reads is the shipped specs/ plus the
// gateways in UNLIKE_GATEWAYS, each added as a folder the way a user adds one. KLING_SPECS_DIR names it, so the test
// processes, their vitest workers and every CLI process a test starts (they inherit the environment) all read it:
// the one `npm test` CI runs covers a gateway unlike every shipped one wherever it covers the shipped ones, with no
// code that names it. test/add-unlike-provider.test.ts checks both halves and runs `npm run gen` on a copy of the
// project with the gateway in specs/.
import { cpSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listSpecIds } from '../../src/spec/load-spec.ts';

/** Provider folders under fixtures/providers/ whose conventions no shipped spec has (see each folder's DOC.md). */
export const UNLIKE_GATEWAYS = ['zenith-kling-v3'];
/** The variable that tells a test (and the second project's setup) the folder was made for this run. */
export const SPECS_UNDER_TEST = 'KC_TEST_SPECS_DIR';

export default function setup(): () => void {
  if (process.env[SPECS_UNDER_TEST]) return () => {};
  const root = process.env.KC_TEST_TEMP_ROOT;
  if (!root) throw new Error('test/support/temp-root.ts must run before test/support/specs-under-test.ts');
  const dir = join(root, 'specs');
  mkdirSync(dir);
  // copies, not links: a test that copies a provider folder and edits the copy (a hostile spec) must never be able to
  // write through a link into the repository's specs/
  const copy = (from: string, id: string) => cpSync(from, join(dir, id), { recursive: true, dereference: true });
  for (const id of listSpecIds(resolve('specs'))) copy(resolve('specs', id), id);
  for (const id of UNLIKE_GATEWAYS) copy(resolve('fixtures/providers', id), id);
  const previous = process.env.KLING_SPECS_DIR;
  process.env.KLING_SPECS_DIR = dir;
  process.env[SPECS_UNDER_TEST] = dir;
  return () => {
    if (previous === undefined) delete process.env.KLING_SPECS_DIR;
    else process.env.KLING_SPECS_DIR = previous;
    delete process.env[SPECS_UNDER_TEST];
  };
}
