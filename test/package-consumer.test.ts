// The package as users meet it: packed (what `npm publish` would upload), installed into a fresh project, and used
// from plain Node (ESM and CommonJS), from TypeScript (bundler and nodenext resolution, strict, skipLibCheck off),
// from the consumer's own vitest with the in-process msw mock, and as a CLI — with no TypeScript loader installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'kc-consumer-'));
const app = join(dir, 'app');
let files: string[] = [];

function run(cmd: string, args: string[], cwd = app): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  // the build the e2e setup made; --ignore-scripts: no rebuild under the other tests' feet
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  ) as { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path);
  cpSync(join(ROOT, 'fixtures/consumer'), app, { recursive: true });
  // everything the tarball depends on is in npm's cache after `npm ci`: no download
  const install = run('npm', [
    'install',
    join(dir, packed[0]!.filename),
    '@types/node@20',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
  ]);
  expect(install.code, install.out).toBe(0);
}, 180_000);

describe('the packed package', () => {
  it('ships the build, the specs and the docs — no sources, tests, fixtures or bench', () => {
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('dist/suites/task.suite.js');
    expect(files).toContain('specs/evolink-kling-v3-t2v/openapi.yaml');
    // the built-in specs parsed and their validators compiled by the build (scripts/warm-cache.mjs)
    expect(files.some((f) => /^dist\/cache\/validators\/[0-9a-f]{64}\.cjs$/.test(f))).toBe(true);
    expect(files.filter((f) => /^(src|test|bench|scripts)\/|\.test\.|^fixtures\/(?!videos\/)/.test(f))).toEqual([]);
    // no TypeScript loader at run time
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
  });

  it('imports from plain Node: ESM and CommonJS', () => {
    const esm = run('node', ['esm.mjs']);
    expect(esm.code, esm.out).toBe(0);
    expect(JSON.parse(esm.out)).toMatchObject({
      providers: readdirSync('specs').length,
      id: 'evolink-kling-v3-t2v',
      handlers: expect.any(Number),
    });
    const cjs = run('node', ['cjs.cjs']);
    expect(cjs.code, cjs.out).toBe(0);
    expect(JSON.parse(cjs.out)).toEqual({ providers: readdirSync('specs').length, mock: 'function' });
  });

  it('type-checks a strict TypeScript consumer under bundler and nodenext resolution', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    for (const resolution of ['bundler', 'nodenext']) {
      const r = run('node', [tsc, '-p', `tsconfig.${resolution}.json`]);
      expect(r.code, `${resolution}:\n${r.out}`).toBe(0);
    }
    // and the check can fail: a wrong field type in the consumer is an error
    writeFileSync(
      join(app, 'wrong.ts'),
      "import { buildRequest } from 'kling-conformance/vitest';\nexport const b = " +
        "buildRequest('evolink-kling-v3-t2v', { duration: '5' });\n",
    );
    writeFileSync(
      join(app, 'tsconfig.wrong.json'),
      JSON.stringify({ extends: './tsconfig.bundler.json', files: ['wrong.ts'] }),
    );
    const wrong = run('node', [tsc, '-p', 'tsconfig.wrong.json']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/wrong\.ts.*error TS/);
  });

  it("runs the in-process msw mock in the consumer's own vitest", () => {
    const r = run('node', ['node_modules/vitest/vitest.mjs', 'run', 'mock.test.ts']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/1 passed/);
  }, 60_000);

  it('works as a CLI: --version, --help, a mock run', () => {
    const bin = join(app, 'node_modules/.bin/kling-conformance');
    expect(run(bin, ['--version']).out.trim()).toBe(VERSION);
    expect(run(bin, ['--help']).out).toMatch(/Usage: kling-conformance/);
    // the first command after the install: the built-in specs come from the shipped cache, nothing is parsed again
    expect(run(bin, ['specs']).code).toBe(0);
    const projectCache = join(app, 'node_modules/.cache/kling-conformance');
    expect(existsSync(projectCache) ? readdirSync(projectCache).filter((f) => f.endsWith('.json')) : []).toEqual([]);
    const r = run(bin, [
      'run',
      '--provider',
      'evolink-kling-v3-t2v',
      '--target',
      'mock',
      '--family',
      'defaults',
      '--report-dir',
      'out',
      '--quiet',
    ]);
    expect(r.code, r.out).toBe(0);
    const results = JSON.parse(readFileSync(join(app, 'out/results.json'), 'utf8')) as { summary: { pass: number } };
    expect(results.summary.pass).toBeGreaterThan(0);
  }, 60_000);
});
