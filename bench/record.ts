/**
 * What recording costs (`npm run bench:record [-- --rounds 7 --seconds 2]`), in two legs, each server in its own
 * process, side by side in one run:
 *   mock  — the EvoLink mock's route table without and with `--record` (every exchange redacted and journalled as HAR)
 *   proxy — `proxy` in front of a loopback EvoLink mock (its own process), without and with `--record`
 * Each round starts the four servers afresh (each warmed up: 1 s of creates, 1 s of polls), then loads create, then
 * poll, on each leg's two servers back to back (autocannon, 10 connections, `--seconds` each; which server goes first
 * alternates by round), so both meet the same machine load; the ratio with ÷ without is taken per round and the
 * median over the rounds reported, with the median requests/s and the server's own CPU time per request (read from
 * the server process), the per-round spread and the load average at the start and the end. Exits 1 when a median
 * ratio is below 0.8.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BENCH_KEY } from './bench-key.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '9' },
    seconds: { type: 'string', default: '2' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const body = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat skateboarding through a neon city' });
const headers = { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' };
type Server = { child: ChildProcess; url: string; cpu(): Promise<number> };
type Kind = 'without' | 'with';
type Sample = { rps: number; cpu: number; requests: number; busy: number };
type Pairs = Record<Kind, Sample>[];

/**
 * With two cores or more and `taskset` (util-linux): every server measured runs on CPU 1, alone, and this process (the
 * load generator) and the proxy leg's upstream on CPU 0. Unpinned, the scheduler moved the server and the load
 * generator between the cores and onto each other: on an idle machine one round's ratio ranged 0.5–1.8×.
 */
const pinned =
  !args['no-pin'] &&
  os.cpus().length >= 2 &&
  spawnSync('taskset', ['-a', '-p', '-c', '0', `${process.pid}`]).status === 0;

/** Starts a server of bench/mock-http-server.ts; pinned, on CPU `core` (a measured server: 1). */
async function start(core: '0' | '1', kind: string, ...rest: string[]): Promise<Server> {
  const argv = [process.execPath, '--import', 'tsx', 'bench/mock-http-server.ts', kind, ...rest];
  const [command, ...argvRest] = pinned ? ['taskset', '-c', core, ...argv] : argv;
  const child = spawn(command!, argvRest, { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((ready) => child.stdout!.once('data', (d: Buffer) => ready(d.toString())));
  const cpu = () =>
    new Promise<number>((done) => {
      child.stdout!.once('data', (d: Buffer) => done((JSON.parse(d.toString()) as { cpuMicros: number }).cpuMicros));
      child.stdin!.write('cpu\n');
    });
  return { child, url: (JSON.parse(line) as { url: string }).url, cpu };
}

/** requests/s and the server's CPU µs per request of one autocannon phase */
async function load(server: Server, path: string, post: boolean, duration: number): Promise<Sample> {
  const before = await server.cpu();
  const startedAt = performance.now();
  const r = await autocannon({
    url: `${server.url}${path}`,
    connections: 10,
    duration,
    method: post ? 'POST' : 'GET',
    headers,
    ...(post ? { body } : {}),
  });
  if (r.non2xx || r.errors) throw new Error(`${r.non2xx} answers were not 2xx, ${r.errors} requests failed`);
  const used = (await server.cpu()) - before;
  return {
    rps: r.requests.total / duration,
    cpu: used / r.requests.total,
    requests: r.requests.total,
    // the share of the phase the server was on a CPU: near 1, the server was what limited the rate
    busy: used / ((performance.now() - startedAt) * 1000),
  };
}

async function freshTask(url: string): Promise<string> {
  const r = await fetch(`${url}/v1/videos/generations`, { method: 'POST', headers, body });
  return `/v1/tasks/${((await r.json()) as { id: string }).id}`;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const loadAtStart = os.loadavg()[0]!.toFixed(1);
const upstream = await start('0', 'routes');
/**
 * Each round's servers are fresh processes: one process's JIT and memory layout can make it ~10% faster or slower than
 * another of the same code for its whole life (two mocks without `--record` side by side differed that much), so
 * a pair of processes kept for every round biases every round the same way.
 */
const startLegs = async () => {
  const [mockWithout, mockWith, proxyWithout, proxyWith] = await Promise.all([
    start('1', 'routes'),
    start('1', 'record'),
    start('1', 'proxy', upstream.url),
    start('1', 'proxy-record', upstream.url),
  ]);
  const legs = { mock: { without: mockWithout, with: mockWith }, proxy: { without: proxyWithout, with: proxyWith } };
  // warm up, create and poll: the JIT compiles both paths before a phase is measured
  for (const servers of Object.values(legs))
    for (const k of ['without', 'with'] as const) {
      await load(servers[k], '/v1/videos/generations', true, 1);
      await load(servers[k], await freshTask(servers[k].url), false, 1);
    }
  return legs;
};
type Legs = Awaited<ReturnType<typeof startLegs>>;
type Leg = keyof Legs;
const phases = {
  mock: { create: [] as Pairs, poll: [] as Pairs },
  proxy: { create: [] as Pairs, poll: [] as Pairs },
} satisfies Record<Leg, unknown>;
let legs: Legs | undefined;
const stopLegs = () => {
  for (const s of Object.values(legs ?? {}).flatMap((l) => [l.without, l.with])) s.child.kill('SIGINT');
  legs = undefined;
};
try {
  for (let round = 0; round < rounds; round++) {
    legs = await startLegs();
    const order: Kind[] = round % 2 ? ['with', 'without'] : ['without', 'with'];
    for (const [leg, servers] of Object.entries(legs) as [Leg, Record<Kind, Server>][])
      for (const phase of ['create', 'poll'] as const) {
        const pair = {} as Record<Kind, Sample>;
        for (const k of order) {
          const path = phase === 'create' ? '/v1/videos/generations' : await freshTask(servers[k].url);
          pair[k] = await load(servers[k], path, phase === 'create', seconds);
        }
        phases[leg][phase].push(pair);
        const ratio = (pair.with.rps / pair.without.rps).toFixed(2);
        process.stderr.write(`round ${round + 1}/${rounds} ${leg} ${phase}: ${ratio}×\n`);
      }
    stopLegs();
  }
} finally {
  stopLegs();
  upstream.child.kill('SIGINT');
}
const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
const cell = (pairs: Pairs, k: Kind) =>
  `${fmt(median(pairs.map((p) => p[k].rps)))} | ${fmt(median(pairs.map((p) => p[k].cpu)))}`;
const ratio = (pairs: Pairs) => median(pairs.map((p) => p.with.rps / p.without.rps));
/**
 * The ratio of the two medians: each process's figure used once. The noise of this machine is mostly per process (two
 * processes of the same code differ by up to ~30% for their whole life), which pairing does not cancel; shown beside
 * the median of the paired ratios, which is what the goal is judged on.
 */
const ratioOfMedians = (pairs: Pairs) => median(pairs.map((p) => p.with.rps)) / median(pairs.map((p) => p.without.rps));
/** the lowest and highest per-round ratio: how much the machine's load moved the rounds */
const spread = (pairs: Pairs) => {
  const rs = pairs.map((p) => p.with.rps / p.without.rps);
  return `${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}`;
};
const cpuRatio = (pairs: Pairs) => median(pairs.map((p) => p.without.cpu / p.with.cpu));
/** the median share of each phase the server was on a CPU, without and with (the lower one) */
const busy = (pairs: Pairs) =>
  Math.min(median(pairs.map((p) => p.without.busy)), median(pairs.map((p) => p.with.busy)));
const ratios: { name: string; value: number }[] = [];
let total = 0;
console.log('| server | create req/s | CPU µs / create | poll req/s | CPU µs / poll |\n|---|---|---|---|---|');
for (const leg of Object.keys(phases) as Leg[]) {
  const { create, poll } = phases[leg];
  total += [...create, ...poll].reduce((n, p) => n + p.without.requests + p.with.requests, 0);
  ratios.push({ name: `${leg} create`, value: ratio(create) }, { name: `${leg} poll`, value: ratio(poll) });
  console.log(`| ${leg} without \`--record\` | ${cell(create, 'without')} | ${cell(poll, 'without')} |`);
  console.log(`| ${leg} with \`--record\` | ${cell(create, 'with')} | ${cell(poll, 'with')} |`);
  console.log(
    `| ${leg}: with ÷ without (median of ${rounds} paired rounds; rounds ${spread(create)}×, ${spread(poll)}×) | ` +
      `**${ratio(create).toFixed(2)}×** (of the medians ${ratioOfMedians(create).toFixed(2)}×) | ` +
      `${cpuRatio(create).toFixed(2)}× requests per CPU second | ` +
      `**${ratio(poll).toFixed(2)}×** (of the medians ${ratioOfMedians(poll).toFixed(2)}×) | ` +
      `${cpuRatio(poll).toFixed(2)}× requests per CPU second |`,
  );
  for (const [phase, pairs] of [
    ['create', create],
    ['poll', poll],
  ] as const)
    if (busy(pairs) < 0.85)
      console.log(
        `note: the ${leg} ${phase} server was on a CPU only ${(100 * busy(pairs)).toFixed(0)}% of the phase: the ` +
          'load generator or other work on this machine limited the rate, not the server (rerun on an idle machine)',
      );
}
const loadAverage = os.loadavg()[0]!.toFixed(1);
console.log(
  `\n${fmt(total)} requests; node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ` +
    `load average ${loadAtStart} at the start, ${loadAverage} at the end (${os.cpus().length} cores)` +
    (pinned ? '; each measured server alone on CPU 1, the load generator on CPU 0' : '; not pinned'),
);
const below = ratios.filter((r) => r.value < 0.8);
// the table rounds to two places: say which median is below 0.8, and by how much
if (below.length) console.log(`below 0.8: ${below.map((r) => `${r.name} ${r.value.toFixed(3)}×`).join(', ')}`);
if (below.length) process.exitCode = 1;
