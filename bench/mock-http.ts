/**
 * The HTTP mock's throughput, side by side on one machine (`npm run bench:mock`): create (POST with a documented
 * body: auth, validation, a task, the answer template) and poll (GET of that task), each server in its own process,
 * autocannon (10 connections, 3 rounds of 3 s each, after a 1 s warm-up; medians) as the load:
 *   plain node:http doing the same ajv validation · our mock's node:http route table · the same routes through msw ·
 *   Stoplight Prism 5 mocking the same OpenAPI document (installed into node_modules/.cache/prism on first use).
 * Prints a Markdown table with each server's requests/s and its ratio to plain node:http.
 * `npm run bench:mock -- --servers routes,msw` measures a subset (with plain, which the ratios are to).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { BENCH_KEY } from './bench-key.ts';

const SPEC = resolve('specs/evolink-kling-v3-t2v/openapi.yaml');
const PRISM_DIR = resolve('node_modules/.cache/prism');
const PRISM = join(PRISM_DIR, 'node_modules/@stoplight/prism-cli/dist/index.js');
const body = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat skateboarding through a neon city' });

function ensurePrism(): void {
  if (existsSync(PRISM)) return;
  mkdirSync(PRISM_DIR, { recursive: true });
  writeFileSync(join(PRISM_DIR, 'package.json'), '{"private":true}');
  process.stderr.write('installing @stoplight/prism-cli@5 into node_modules/.cache/prism …\n');
  execFileSync('npm', ['install', '@stoplight/prism-cli@5', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: PRISM_DIR,
    stdio: 'inherit',
  });
}

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });

/** The path to poll: a fresh task on our mocks (an old one may have been evicted past maxTasks), else a fixed one. */
async function pollTarget(kind: string, server: { url: string; poll: string }): Promise<string> {
  if (kind !== 'routes' && kind !== 'msw') return server.poll;
  const r = await fetch(`${server.url}/v1/videos/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    body,
  });
  return `/v1/tasks/${((await r.json()) as { id: string }).id}`;
}

async function start(kind: string): Promise<{ child: ChildProcess; url: string; poll: string }> {
  if (kind === 'prism') {
    const port = await freePort();
    const child = spawn(process.execPath, [PRISM, 'mock', SPEC, '-p', String(port), '-h', '127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((ready, fail) => {
      const seen = (d: Buffer) => /Prism is listening/.test(d.toString()) && ready();
      child.stdout!.on('data', seen);
      child.stderr!.on('data', seen);
      child.on('exit', (code) => fail(new Error(`prism exited ${code}`)));
    });
    return { child, url: `http://127.0.0.1:${port}`, poll: '/v1/tasks/task-unified-1' };
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/mock-http-server.ts', kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((ready) => child.stdout!.once('data', (d: Buffer) => ready(d.toString())));
  return { child, ...(JSON.parse(line) as { url: string; poll: string }) };
}

async function load(
  url: string,
  path: string,
  post: boolean,
  seconds: number,
): Promise<{ rps: number; non2xx: number }> {
  const r = await autocannon({
    url: `${url}${path}`,
    connections: 10,
    duration: seconds,
    method: post ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    ...(post ? { body } : {}),
  });
  return { rps: r.requests.average, non2xx: r.non2xx };
}

const ALL = ['plain', 'routes', 'msw', 'prism'] as const;
// `--servers plain,routes`: a subset (plain is always measured: it is what the ratios are to)
const picked = process.argv.includes('--servers')
  ? process.argv[process.argv.indexOf('--servers') + 1]!.split(',')
  : ALL;
const kinds = ALL.filter((k) => k === 'plain' || picked.includes(k));
if (kinds.includes('prism')) ensurePrism();
// all four servers up at once (an idle one costs nothing); rounds alternate between them, so a busy moment on this
// shared machine costs each alike; each figure is the median of the rounds
const ROUNDS = 3;
const servers = Object.fromEntries(await Promise.all(kinds.map(async (k) => [k, await start(k)] as const)));
const samples = Object.fromEntries(kinds.map((k) => [k, { create: [] as number[], poll: [] as number[], non2xx: 0 }]));
try {
  for (const kind of kinds) {
    await load(servers[kind]!.url, '/v1/videos/generations', true, 1);
    await load(servers[kind]!.url, servers[kind]!.poll, false, 1);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of kinds) {
      const create = await load(servers[kind]!.url, '/v1/videos/generations', true, 3);
      const poll = await load(servers[kind]!.url, await pollTarget(kind, servers[kind]!), false, 3);
      samples[kind]!.create.push(create.rps);
      samples[kind]!.poll.push(poll.rps);
      samples[kind]!.non2xx += create.non2xx + poll.non2xx;
    }
  }
} finally {
  for (const s of Object.values(servers)) s.child.kill('SIGINT');
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows = Object.fromEntries(
  kinds.map((k) => [
    k,
    { create: median(samples[k]!.create), poll: median(samples[k]!.poll), non2xx: samples[k]!.non2xx },
  ]),
);
const names = {
  plain: 'plain node:http + the same ajv validation',
  routes: 'kling-conformance mock (node:http route table)',
  msw: 'the same routes through msw (getResponse)',
  prism: 'Stoplight Prism 5 (`prism mock`)',
};
const plain = rows.plain!;
console.log('| server | create req/s | × plain | poll req/s | × plain | non-2xx |\n|---|---|---|---|---|---|');
for (const kind of kinds) {
  const r = rows[kind]!;
  console.log(
    `| ${names[kind]} | ${Math.round(r.create).toLocaleString('en')} | ` +
      `${(r.create / plain.create).toFixed(2)} | ` +
      `${Math.round(r.poll).toLocaleString('en')} | ` +
      `${(r.poll / plain.poll).toFixed(2)} | ${r.non2xx} |`,
  );
}
const routes = rows.routes;
const prism = rows.prism;
if (routes && prism)
  console.log(
    `\nmock vs Prism: create ${(routes.create / prism.create).toFixed(1)}×, poll ` +
      `${(routes.poll / prism.poll).toFixed(1)}× · node ${process.version}, ` +
      `${new Date().toISOString().slice(0, 10)}`,
  );
