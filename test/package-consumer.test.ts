// The package as users meet it: packed (what `npm publish` would upload), installed into a fresh project, and used
// from plain Node (ESM and CommonJS), from TypeScript (bundler and nodenext resolution, strict, skipLibCheck off),
// from the consumer's own vitest with the in-process msw mock (msw is the consumer's: a peer dependency, tried with
// each supported major and with npm's linked install strategy), and as a CLI, with a TypeScript client adapter and
// docs/ci.md's PR gate as written. The TypeScript adapter and the msw handlers also run on Node 22 and 24 (binaries
// from npm's node-<platform>-<arch> packages, test/support/node-binaries.ts), from the same tarball and project; msw
// 3 (Node >= 22.12) runs on 22 and 24. Every temporary project is removed afterwards.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentNode, envFor, type NodeBinary, nodeBinary } from './support/node-binaries.ts';

const ROOT = resolve('.');
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const dir = mkdtempSync(join(tmpdir(), 'kc-consumer-'));
const app = join(dir, 'app');
let files: string[] = [];
let tarball = '';
/** the msw the consumer installs next to the package (its own copy: the package's is a peer dependency) */
const CONSUMER_MSW = 'msw@~2.15.0';
/** the supported Node majors beside the one running the tests (package.json engines: >= 20.19) */
const OTHER_NODES = [22, 24];
let otherNodes: Promise<NodeBinary[]>;
/** a project with msw 3 (Node >= 22.12), installed in the background while the first tests run */
const msw3 = { project: join(dir, 'msw3'), installed: Promise.resolve({ code: 0 as number | null, out: '' }) };
/** a project with msw 2.12 (the lowest in the range) installed with npm's linked strategy, in the background too */
const msw212 = { project: join(dir, 'msw212'), installed: Promise.resolve({ code: 0 as number | null, out: '' }) };
const children = new Set<ChildProcess>();

/** `cmd` in `cwd` on `node` (its folder first on PATH: `#!/usr/bin/env node` scripts run on it too) */
function run(
  cmd: string,
  args: string[],
  cwd = app,
  timeout = 120_000,
  node = currentNode(),
): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: envFor(node, { NO_COLOR: '1' }) });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const installArgs = (packages: string[], extra: string[]) => [
  'install',
  ...packages,
  '--prefer-offline',
  '--no-audit',
  '--no-fund',
  '--loglevel=error',
  ...extra,
];

/**
 * npm install into `cwd` in the background, from npm's cache where it can (everything the tarball needs is there after
 * `npm ci`): the test that needs the project awaits it (with its own timeout: a child's timer could fire late, while a
 * test blocks the event loop with spawnSync, and kill npm as if it had hung).
 */
function npmInstallLater(
  cwd: string,
  packages: string[],
  extra: string[] = [],
): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn('npm', installArgs(packages, extra), { cwd, env: envFor(currentNode()) });
    children.add(child);
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b;
    });
    child.stderr.on('data', (b: Buffer) => {
      out += b;
    });
    child.on('close', (code) => {
      children.delete(child);
      done({ code, out });
    });
  });
}

afterAll(async () => {
  for (const child of children) child.kill();
  await Promise.all([msw3.installed, msw212.installed]);
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

beforeAll(async () => {
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
  // the other Nodes and the msw 3 project arrive while the consumer's project installs and the first tests run
  otherNodes = Promise.all(OTHER_NODES.map(nodeBinary));
  otherNodes.catch(() => undefined);
  for (const { project } of [msw3, msw212]) {
    mkdirSync(project);
    for (const f of ['package.json', 'mock.test.ts']) cpSync(join(ROOT, 'fixtures/consumer', f), join(project, f));
  }
  msw3.installed = npmInstallLater(msw3.project, [tarball, 'msw@^3.0.0', 'vitest@~4.1.12', '@types/node@20']);
  msw212.installed = npmInstallLater(
    msw212.project,
    [tarball, 'msw@2.12.0', 'vitest@~4.1.12', '@types/node@20'],
    ['--install-strategy=linked'],
  );
  // awaited rather than spawnSync: the event loop keeps reading the installs above meanwhile
  const installed = await npmInstallLater(app, [tarball, CONSUMER_MSW, '@types/node@20']);
  expect(installed.code, installed.out).toBe(0);
}, 300_000);

/** mock.test.ts type-checks against the project's own msw: our handlers are what its setupServer() takes */
function typeCheckMockTest(project: string): void {
  const options = { module: 'nodenext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] };
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['mock.test.ts'] }));
  const r = run('node', [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], project, 240_000);
  expect(r.code, r.out).toBe(0);
}

/** the consumer's vitest runs mock.test.ts, which prints the Node and the msw it ran on */
function consumerVitest(project: string, node: NodeBinary, mswMajor: number): void {
  const r = run('node', ['node_modules/vitest/vitest.mjs', 'run', 'mock.test.ts'], project, 120_000, node);
  expect(r.code, r.out).toBe(0);
  expect(r.out).toMatch(/1 passed/);
  expect(r.out).toContain(`consumer vitest on Node ${node.version} with msw ${mswMajor}.`);
}

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
    // the error sought is in wrong.ts itself: the declarations it reads were just checked (skipLibCheck off) above
    writeFileSync(
      join(app, 'tsconfig.wrong.json'),
      JSON.stringify({
        extends: './tsconfig.bundler.json',
        compilerOptions: { skipLibCheck: true },
        files: ['wrong.ts'],
      }),
    );
    const wrong = run('node', [tsc, '-p', 'tsconfig.wrong.json'], app, 240_000);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/wrong\.ts.*error TS/);
  }, 600_000);

  it("runs the in-process msw mock in the consumer's own vitest", () => {
    consumerVitest(app, currentNode(), 2);
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

describe.each(OTHER_NODES)('on Node %i, from the same tarball and project', (major) => {
  let node: NodeBinary;
  beforeAll(async () => {
    node = (await otherNodes).find((n) => n.major === major)!;
  }, 300_000);

  it("runs docs/client-adapter.md's TypeScript adapter (.js imports of .ts files) in the CLI and its worker", () => {
    const doc = readFileSync('docs/client-adapter.md', 'utf8');
    const command = /npx kling-conformance (run [^\n]*--client) \.\/my-adapter\.ts/.exec(doc)![1]!.split(' ');
    const out = `out-node${major}`;
    // the same adapter behind a probe that records the Node of each process that loads it
    const args = [...command, './node-probe-adapter.ts', '--report-dir', out, '--quiet'];
    rmSync(join(app, 'loaded-on.txt'), { force: true });
    const r = run(join(app, 'node_modules/.bin/kling-conformance'), args, app, 240_000, node);
    expect(r.code, r.out).toBe(0);
    const loadedOn = readFileSync(join(app, 'loaded-on.txt'), 'utf8').trim().split('\n');
    expect(loadedOn.length).toBeGreaterThanOrEqual(2);
    expect(new Set(loadedOn)).toEqual(new Set([node.version]));
    const results = JSON.parse(readFileSync(join(app, out, 'results.json'), 'utf8')) as {
      run: { client: string };
      results: { id: string; status: string }[];
    };
    expect(results.run.client).toMatch(/node-probe-adapter\.ts$/);
    expect(results.results.filter((c) => c.id.startsWith('retry.') && c.status === 'pass').length).toBeGreaterThan(3);
  }, 300_000);

  it("runs the in-process msw mock (msw 2) in the consumer's own vitest", () => {
    consumerVitest(app, node, 2);
  }, 120_000);
});

describe("msw is the consumer's (a peer dependency): the in-process mock with each supported major", () => {
  // msw 3 declares Node >= 22.12: it runs on the other Nodes, not on Node 20
  it('msw 3, hoisted install: type-checks, and runs on Node 22 and 24', async () => {
    const install = await msw3.installed;
    expect(install.code, install.out).toBe(0);
    typeCheckMockTest(msw3.project);
    for (const node of await otherNodes) consumerVitest(msw3.project, node, 3);
  }, 600_000);

  it('msw 2.12 (the lowest in the range), --install-strategy=linked: type-checks and runs', async () => {
    const install = await msw212.installed;
    expect(install.code, install.out).toBe(0);
    typeCheckMockTest(msw212.project);
    consumerVitest(msw212.project, currentNode(), 2);
  }, 360_000);
});
