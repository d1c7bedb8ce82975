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
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, seconds: { type: 'string', default: '2' } },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const body = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat skateboarding through a neon city' });
const headers = { authorization: 'Bearer bench-key', 'content-type': 'application/json' };
type Server = { child: ChildProcess; url: string; cpu(): Promise<number> };
type Kind = 'without' | 'with';
type Sample = { rps: number; cpu: number; requests: number };
type Pairs = Record<Kind, Sample>[];

async function start(kind: string, ...rest: string[]): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/mock-http-server.ts', kind, ...rest], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
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
  const r = await autocannon({
    url: `${server.url}${path}`,
    connections: 10,
    duration,
    method: post ? 'POST' : 'GET',
    headers,
    ...(post ? { body } : {}),
  });
  if (r.non2xx || r.errors) throw new Error(`${r.non2xx} answers were not 2xx, ${r.errors} requests failed`);
  return {
    rps: r.requests.total / duration,
    cpu: ((await server.cpu()) - before) / r.requests.total,
    requests: r.requests.total,
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
const upstream = await start('routes');
/**
 * Each round's servers are fresh processes: one process's JIT and memory layout can make it ~10% faster or slower than
 * another of the same code for its whole life (two mocks without `--record` side by side differed that much), so
 * a pair of processes kept for every round biases every round the same way.
 */
const startLegs = async () => {
  const [mockWithout, mockWith, proxyWithout, proxyWith] = await Promise.all([
    start('routes'),
    start('record'),
    start('proxy', upstream.url),
    start('proxy-record', upstream.url),
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
/** the lowest and highest per-round ratio: how much the machine's load moved the rounds */
const spread = (pairs: Pairs) => {
  const rs = pairs.map((p) => p.with.rps / p.without.rps);
  return `${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}`;
};
const cpuRatio = (pairs: Pairs) => median(pairs.map((p) => p.without.cpu / p.with.cpu));
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
      `**${ratio(create).toFixed(2)}×** | ${cpuRatio(create).toFixed(2)}× requests per CPU second | ` +
      `**${ratio(poll).toFixed(2)}×** | ${cpuRatio(poll).toFixed(2)}× requests per CPU second |`,
  );
}
const loadAverage = os.loadavg()[0]!.toFixed(1);
console.log(
  `\n${fmt(total)} requests; node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ` +
    `load average ${loadAtStart} at the start, ${loadAverage} at the end (${os.cpus().length} cores)`,
);
const below = ratios.filter((r) => r.value < 0.8);
// the table rounds to two places: say which median is below 0.8, and by how much
if (below.length) console.log(`below 0.8: ${below.map((r) => `${r.name} ${r.value.toFixed(3)}×`).join(', ')}`);
if (below.length) process.exitCode = 1;
