// "Adding a gateway is adding a folder", tried the way a user would on a gateway unlike every shipped one
// (fixtures/providers/zenith-kling-v3: auth refused with 400/403 while the guide says 401, the task id in the query
// string, the state under /data/task/state, a link lifetime each answer states in video.download_ttl, a documented
// message "API Key validation failed"). The folder goes into specs/ of a copy of the project; `npm run gen` and the
// parts of `npm test` a spec folder can affect then run there with no code change:
//   check:generated, lint:specs, tsc --noEmit, and vitest over the tests that loop over the specs (the facts, the
//   types, the cases, the validators, the mock's views) plus the can-fail proof for the new gateway (`drift` is
//   rendered for it by gen itself, into docs/drift.md).
// Narrowed honestly: the linters of code and workflows (biome, line width, action-validator) and the tests that never
// read specs/ are left out — a spec folder cannot change them — and the proof runs on the new gateway only
// (KC_PROVE_ONLY), since the shipped ones are proven by the suite itself.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ID = 'zenith-kling-v3';
const root = process.cwd();
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'kc-unlike-'));
  const skip = new Set(['node_modules', '.git', 'reports', 'dist']);
  cpSync(root, copy, {
    recursive: true,
    filter: (src) => !skip.has(relative(root, src).split('/')[0]!),
  });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  cpSync(join(root, 'fixtures/providers', ID), join(copy, 'specs', ID), { recursive: true });
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Runs a command in the copy; resolves with its exit code and its output (for the assertion message). */
function sh(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(args[0]!, args.slice(1), {
      cwd: copy,
      env: { ...process.env, ...env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out: out.slice(-6000) }));
  });
}

describe('a gateway unlike every shipped one, added as a folder to a copy of the project', () => {
  it('npm run gen takes it, and keeps its documented text as written', async () => {
    const gen = await sh(['npm', 'run', 'gen']);
    expect(gen.code, gen.out).toBe(0);
    const facts = readFileSync(join(copy, 'docs/facts.md'), 'utf8');
    expect(facts).toContain(`## ${ID}`);
    // doc text that merely looks like a credential after a registered prefix ("Key ") is not a secret
    expect(facts).toContain('API Key validation failed');
    const drift = readFileSync(join(copy, 'docs/drift.md'), 'utf8');
    // the guide's 401 and the error table's 400 for a missing key are kept as competing claims
    expect(drift).toMatch(/\*\*auth\.missing\*\* \(competing-claims\)[^\n]*400 \/ 40001 vs 401/);
    expect(readFileSync(join(copy, 'src/generated/index.ts'), 'utf8')).toContain(ID);
  }, 240_000);

  it('the parts of npm test a spec folder can affect pass on it, with zero code changes', async () => {
    for (const step of [
      ['npm', 'run', 'check:generated'],
      ['npm', 'run', 'lint:specs'],
      ['npx', 'tsc', '--noEmit'],
    ]) {
      const r = await sh(step);
      expect(r.code, `${step.join(' ')}\n${r.out}`).toBe(0);
    }
    const tests = await sh(
      [
        'npx',
        'vitest',
        'run',
        'src/spec/list-facts.test.ts',
        'src/spec/load-spec.test.ts',
        'src/generated/generated-types.test.ts',
        'src/cases/generate-cases.test.ts',
        'src/validate/compile-validators.test.ts',
        'src/mock/task-view.test.ts',
        'test/checks-can-fail.test.ts',
        'test/checks-can-fail-2.test.ts',
      ],
      { KC_PROVE_ONLY: ID },
    );
    expect(tests.code, tests.out).toBe(0);
    expect(tests.out).toMatch(/Tests\s+\d+ passed/);
  }, 900_000);
});
