// The package as users meet it: packed (what `npm publish` would upload), installed into a fresh project, and used
// from plain Node (ESM and CommonJS), from TypeScript (bundler and nodenext resolution, strict, skipLibCheck off),
// from the consumer's own vitest with the in-process msw mock (msw is the consumer's: a peer dependency, tried with
// each supported major and with npm's linked install strategy), and as a CLI, with a TypeScript client adapter and
// docs/ci.md's PR gate as written. Every temporary project is removed afterwards.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve('.');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'kc-consumer-'));
const app = join(dir, 'app');
let files: string[] = [];
let tarball = '';
/** the msw the consumer installs next to the package (its own copy: the package's is a peer dependency) */
const CONSUMER_MSW = 'msw@~2.15.0';
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

function run(cmd: string, args: string[], cwd = app, timeout = 120_000): { code: number | null; out: string } {
  // the installed package reads the specs/ it ships, as a user's install does (not the test run's specs folder)
  const env = { ...process.env, NO_COLOR: '1', KLING_SPECS_DIR: undefined };
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** npm install into `cwd`, from npm's cache where it can (everything the tarball needs is there after `npm ci`). */
function npmInstall(cwd: string, packages: string[], extra: string[] = []): void {
  const install = run(
    'npm',
    ['install', ...packages, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...extra],
    cwd,
    240_000,
  );
  expect(install.code, install.out).toBe(0);
}

afterAll(() => rmSync(dir, { recursive: true, force: true }), 120_000);

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
  tarball = join(dir, packed[0]!.filename);
  npmInstall(app, [tarball, CONSUMER_MSW, '@types/node@20']);
}, 300_000);

describe('the packed package', () => {
  it('ships the build, the specs and the docs — no sources, tests, fixtures or bench', { timeout: 10_000 }, () => {
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('dist/suites/task.suite.js');
    expect(files).toContain('specs/evolink-kling-v3-t2v/openapi.yaml');
    // the built-in specs parsed and their validators compiled by the build (scripts/warm-cache.mjs)
    expect(files.some((f) => /^dist\/cache\/validators\/[0-9a-f]{64}\.cjs$/.test(f))).toBe(true);
    expect(
      files.filter(
        (f) =>
          /^(src|test|bench|scripts)\/|\.test\.|^fixtures\/(?!videos\/)/.test(f) && !/^src\/.*\.schema\.json$/.test(f),
      ),
    ).toEqual([]);
    // the JSON Schemas (results.json, drift, x-conformance) are shipped where the docs link them
    expect(files).toEqual(
      expect.arrayContaining(['src/report/results.schema.json', 'src/spec/x-conformance.schema.json']),
    );
  });

  it('imports from plain Node: ESM and CommonJS', { timeout: 60_000 }, () => {
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
      const r = run('node', [tsc, '-p', `tsconfig.${resolution}.json`], app, 240_000);
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
    const wrong = run('node', [tsc, '-p', 'tsconfig.wrong.json'], app, 240_000);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/wrong\.ts.*error TS/);
  }, 600_000);

  it("runs the in-process msw mock in the consumer's own vitest", () => {
    const r = run('node', ['node_modules/vitest/vitest.mjs', 'run', 'mock.test.ts']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/1 passed/);
  }, 120_000);

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
  }, 240_000);

  it('ships no install-time script (npm 11 asks nobody to approve one): the build runs on prepack', {
    timeout: 10_000,
  }, () => {
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/kling-conformance/package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare'];
    expect(Object.keys(manifest.scripts ?? {}).filter((s) => lifecycle.includes(s))).toEqual([]);
  });

  it('exports results.schema.json, and the shipped docs link only to shipped files', { timeout: 60_000 }, () => {
    const schema = run('node', [
      '--input-type=module',
      '-e',
      "const s = await import('kling-conformance/results.schema.json', { with: { type: 'json' } }); " +
        'console.log(s.default.$schema)',
    ]);
    expect(schema.code, schema.out).toBe(0);
    expect(schema.out).toMatch(/json-schema\.org/);
    const shipped = new Set(files);
    const broken: string[] = [];
    for (const doc of files.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(app, 'node_modules/kling-conformance', doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue;
        const path = join(dirname(doc), target!).replace(/\/$/, '');
        if (!shipped.has(path) && ![...shipped].some((f) => f.startsWith(`${path}/`)))
          broken.push(`${doc} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('runs a TypeScript client adapter exactly as docs/client-adapter.md shows it (.js imports of .ts files)', () => {
    const doc = readFileSync('docs/client-adapter.md', 'utf8');
    const shown = /```ts\n\/\/ my-adapter\.ts\n([\s\S]*?)```/.exec(doc)![1]!;
    expect(readFileSync(join(app, 'my-adapter.ts'), 'utf8').split('\n').slice(1).join('\n')).toBe(shown);
    const command = /npx (kling-conformance run [^\n]*--client \.\/my-adapter\.ts)/.exec(doc)![1]!.split(' ');
    const r = run('npx', [...command, '--report-dir', 'out-adapter', '--quiet'], app, 240_000);
    expect(r.code, r.out).toBe(0);
    const results = JSON.parse(readFileSync(join(app, 'out-adapter/results.json'), 'utf8')) as {
      run: { client: string };
      results: { id: string; status: string }[];
    };
    expect(results.run.client).toMatch(/my-adapter\.ts$/);
    expect(results.results.filter((c) => c.id.startsWith('retry.') && c.status === 'pass').length).toBeGreaterThan(3);
    // and it can fail: a module without an adapter is a harness error, not an empty pass
    writeFileSync(join(app, 'no-adapter.ts'), "export const providers: string[] = ['evolink-kling-v3-t2v'];\n");
    const bad = run('npx', [...command.slice(0, -1), './no-adapter.ts', '--report-dir', 'out-bad', '--quiet']);
    expect(bad.code, bad.out).toBe(2);
    expect(bad.out).toMatch(/must export `adapter`/);
  }, 300_000);

  it("passes docs/ci.md's PR gate as written, for a client that declares the one provider it speaks", () => {
    const workflow = readFileSync('docs/workflows/pr-gate.yml', 'utf8');
    const line = /run: npx (kling-conformance run .*--client .*)$/m.exec(workflow)![1]!;
    const r = run('npx', line.split(' '), app, 300_000);
    expect(r.code, r.out).toBe(0);
    const results = JSON.parse(readFileSync(join(app, 'reports/pr/results.json'), 'utf8')) as {
      results: { provider: string; status: string; message?: string }[];
    };
    const judged = results.results.filter((c) => c.provider === 'evolink-kling-v3-t2v');
    const others = results.results.filter((c) => c.provider !== 'evolink-kling-v3-t2v');
    expect(judged.filter((c) => c.status === 'pass').length).toBeGreaterThan(20);
    expect(new Set(others.map((c) => c.provider)).size).toBe(readdirSync('specs').length - 1);
    expect(
      others.every((c) => c.status === 'skip' && /declares `providers` evolink-kling-v3-t2v/.test(c.message!)),
    ).toBe(true);
  }, 360_000);
});

describe("msw is the consumer's (a peer dependency): the in-process mock with each supported major", () => {
  const variants = [
    // msw 3 declares Node >= 22.12; on an older Node it is not a supported pairing, so it is not tried there
    { name: 'msw 3, hoisted install', msw: 'msw@^3.0.0', strategy: 'hoisted', minNode: 22 },
    { name: 'msw 2.12 (the lowest in the range), --install-strategy=linked', msw: 'msw@2.12.0', strategy: 'linked' },
  ];
  for (const v of variants)
    it.skipIf(NODE_MAJOR < (v.minNode ?? 0))(
      v.name,
      () => {
        const project = mkdtempSync(join(dir, 'msw-'));
        for (const f of ['package.json', 'mock.test.ts']) cpSync(join(ROOT, 'fixtures/consumer', f), join(project, f));
        npmInstall(project, [tarball, v.msw, 'vitest@~4.1.12'], [`--install-strategy=${v.strategy}`]);
        const r = run('node', ['node_modules/vitest/vitest.mjs', 'run', 'mock.test.ts'], project);
        expect(r.code, r.out).toBe(0);
        expect(r.out).toMatch(/1 passed/);
      },
      360_000,
    );
});
