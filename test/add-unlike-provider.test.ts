// "Adding a gateway is adding a folder", tried on a gateway unlike every shipped one (fixtures/providers/
// zenith-kling-v3: auth refused with 400/403 while the guide says 401, the task id in the query string, the state
// under /data/task/state, a link lifetime each answer states in video.download_ttl, a documented message "API Key
// validation failed"), as `npm run gen` + the full `npm test` on it, with zero code changes:
// - `npm run gen` runs on a copy of the project with the folder in specs/, then the steps of `npm test` that read
//   generated files run there (check:generated, lint:specs, and tsc over the files that read the generated types);
// - the vitest half of `npm test` is this very run: test/support/specs-under-test.ts adds the folder, unchanged, to
//   the specs folder every spec-driven test and every CLI process they start reads (KLING_SPECS_DIR), so every test
//   that covers the shipped gateways covers this one too — a second full run in a copy would double CI's time;
// - zero code changes: no file of the harness (src/, scripts/, suites/, bin/) or of the test support names it
//   (besides the setup that lists it, and the unit tests that use it as a fixture).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSpecIds } from '../src/spec/load-spec.ts';
import { runCli } from './run-cli.ts';
import { SPECS_UNDER_TEST, UNLIKE_GATEWAYS } from './support/specs-under-test.ts';

const ID = 'zenith-kling-v3';
const FOLDER = resolve('fixtures/providers', ID);
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
  cpSync(FOLDER, join(copy, 'specs', ID), { recursive: true });
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** Runs a command in the copy; resolves with its exit code and its output (for the assertion message). */
function sh(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn(args[0]!, args.slice(1), {
      cwd: copy,
      env: { ...process.env, KLING_SPECS_DIR: join(copy, 'specs'), FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => done({ code, out: out.slice(-6000) }));
  });
}

/** Every text file under a folder of the project (relative paths). */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((f) => join(folder, f))
    .filter((f) => statSync(f).isFile() && /\.(ts|mts|js|mjs|cjs|json|yaml|yml|sh)$/.test(f));
}

describe('a gateway unlike every shipped one, added as a folder', () => {
  it('npm run gen takes it in a copy of the project, and keeps its documented text as written', async () => {
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

  it('the steps of npm test that read generated files pass on the copy: check:generated, lint:specs, tsc', async () => {
    for (const step of [
      ['npm', 'run', 'check:generated'],
      ['npm', 'run', 'lint:specs'],
    ]) {
      const r = await sh(step);
      expect(r.code, `${step.join(' ')}\n${r.out}`).toBe(0);
    }
    // tsc over what reads the generated types (src/generated/, src/testing/: nothing else in src/ imports them), with
    // one planted body the gateway's documented enum refuses: that error, and no other, shows the types compile and
    // that this tsc sees the new gateway's (a whole-project tsc on the copy took 20 s of CPU; this one takes 6)
    const readers = filesUnder(join(copy, 'src')).filter(
      (f) => !/\/src\/(generated|testing)\//.test(f) && /\/generated\//.test(readFileSync(f, 'utf8')),
    );
    expect(readers.map((f) => relative(copy, f))).toEqual([]);
    writeFileSync(
      join(copy, 'src/generated/planted.ts'),
      "import type { ProviderRequests } from './index.ts';\n" +
        `export const planted: ProviderRequests['${ID}'] = { model: 'kling-3', text: 'a cat', length: 7 };\n`,
    );
    writeFileSync(
      join(copy, 'tsconfig.generated.json'),
      JSON.stringify({ extends: './tsconfig.json', include: ['src/generated', 'src/testing'] }),
    );
    const tsc = await sh(['npx', 'tsc', '--noEmit', '-p', 'tsconfig.generated.json']);
    const errors = tsc.out.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors, tsc.out).toEqual([
      expect.stringMatching(/^src\/generated\/planted\.ts\(\d+,\d+\): error TS2322: .*'7'/),
    ]);
  }, 600_000);

  it("this npm test's spec-driven tests and CLI runs read it beside every shipped gateway, unchanged", async () => {
    expect(UNLIKE_GATEWAYS).toContain(ID);
    const dir = process.env[SPECS_UNDER_TEST];
    expect(dir, 'test/support/specs-under-test.ts ran').toBeTruthy();
    expect(process.env.KLING_SPECS_DIR).toBe(dir);
    expect(listSpecIds()).toEqual([...listSpecIds(resolve('specs')), ...UNLIKE_GATEWAYS].sort());
    // the very folder a user would copy, file for file, not a test-made variant of it
    const files = (root: string) =>
      filesUnder(root)
        .map((f) => [relative(root, f), readFileSync(f, 'utf8')])
        .sort();
    expect(files(join(dir!, ID))).toEqual(files(FOLDER));
    const cli = await runCli(['specs', '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { id: string }[]).map((s) => s.id)).toContain(ID);
  });

  it('zero code changes: no file of the harness or of the test support names it', () => {
    const harness = ['src', 'scripts', 'suites', 'bin', 'test/support'].flatMap((f) => filesUnder(resolve(f)));
    expect(harness.length).toBeGreaterThan(100);
    const naming = harness
      // tests may name their fixtures; the setup lists the folders it adds
      .filter((f) => !/\.test\.ts$|test\/support\/specs-under-test\.ts$/.test(f))
      .filter((f) => /zenith/i.test(readFileSync(f, 'utf8')));
    expect(naming.map((f) => relative(root, f))).toEqual([]);
  });
});
