/**
 * What recording costs (`npm run bench:record`), in two legs:
 *   mock  — the EvoLink mock's route table without and with `--record` (every exchange redacted and journalled as HAR)
 *   proxy — `proxy` in front of a loopback EvoLink mock (its own process, on CPU 0), without and with `--record`
 * and two ways, both printed:
 *   same process (the goal is judged on it) — one process holds both servers of a leg (bench/mock-http-server.ts
 *     `routes-pair`, `proxy-pair`), and short phases load them in turn (`--pairs` each for create and for poll, the
 *     order alternating); `--processes` such processes per leg. Two processes of the very same code differ by up to
 *     30–40% in CPU per request for their whole life (JIT, memory layout, hash seeds): a ratio of two servers in one
 *     process cancels that, where pairs of fresh processes drew it anew each round.
 *   fresh processes — `--rounds` rounds, each starting the four servers afresh in their own processes, then create,
 *     then poll, on each leg's two servers back to back (start-up and a young heap are in these figures).
 * Each server is warmed up first (`--warm-up` creates, as many polls). Reported per phase: the median of the paired
 * ratios with ÷ without of requests/s (and their spread), the server's CPU time per request (read from the server
 * process; of it, what ran off the main thread: V8's JIT and collector helpers) and its garbage collections per 1,000
 * requests, the load average at the start and the end. Exits 1 when a judged median of the same-process way is below
 * 0.8: requests/s, or requests per CPU second when the server did not limit the rate (see judgedRatio).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BENCH_KEY } from './bench-key.ts';

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '2' },
    processes: { type: 'string', default: '2' },
    pairs: { type: 'string', default: '8' },
    'pair-seconds': { type: 'string', default: '1' },
    'warm-up': { type: 'string', default: '4000' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const processes = Number(args.processes);
const pairsPerPhase = Number(args.pairs);
const pairSeconds = Number(args['pair-seconds']);
const warmUpRequests = Number(args['warm-up']);
const body = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat skateboarding through a neon city' });
const headers = { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' };
type Gc = { minor: number; major: number; ms: number };
type Usage = { cpuMicros: number; mainMicros?: number; gc: Gc };
type Process = { child: ChildProcess; line: Record<string, string>; usage(): Promise<Usage> };
type Server = { url: string; usage(): Promise<Usage> };
type Kind = 'without' | 'with';
/** `offMain`: CPU µs per request on the process's other threads (V8's JIT and collector helpers, libuv), if known */
type Sample = { rps: number; cpu: number; offMain?: number; requests: number; busy: number; gc: Gc };
type Pairs = Record<Kind, Sample>[];
type Leg = 'mock' | 'proxy';
type Phase = 'create' | 'poll';

/**
 * With two cores or more and `taskset` (util-linux): every server measured runs on CPU 1, alone, and this process (the
 * load generator) and the proxy leg's upstream on CPU 0. Unpinned, the scheduler moved the server and the load
 * generator between the cores and onto each other: on an idle machine one round's ratio ranged 0.5–1.8×.
 */
const pinned =
  !args['no-pin'] &&
  os.cpus().length >= 2 &&
  spawnSync('taskset', ['-a', '-p', '-c', '0', `${process.pid}`]).status === 0;

/** Starts a process of bench/mock-http-server.ts; pinned, on CPU `core` (a measured server: 1). */
async function start(core: '0' | '1', kind: string, ...rest: string[]): Promise<Process> {
  const argv = [process.execPath, '--import', 'tsx', 'bench/mock-http-server.ts', kind, ...rest];
  const [command, ...argvRest] = pinned ? ['taskset', '-c', core, ...argv] : argv;
  const child = spawn(command!, argvRest, { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((ready) => child.stdout!.once('data', (d: Buffer) => ready(d.toString())));
  const usage = () =>
    new Promise<Usage>((done) => {
      child.stdout!.once('data', (d: Buffer) => done(JSON.parse(d.toString()) as Usage));
      child.stdin!.write('cpu\n');
    });
  return { child, line: JSON.parse(line) as Record<string, string>, usage };
}

/**
 * requests/s, the server's CPU µs per request and its collections of one autocannon phase: `duration` seconds, or
 * `{ amount }` requests
 */
async function load(
  server: Server,
  path: string,
  post: boolean,
  duration: number | { amount: number },
): Promise<Sample> {
  const before = await server.usage();
  const startedAt = performance.now();
  const r = await autocannon({
    url: `${server.url}${path}`,
    connections: 10,
    ...(typeof duration === 'number' ? { duration } : duration),
    method: post ? 'POST' : 'GET',
    headers,
    ...(post ? { body } : {}),
  });
  if (r.non2xx || r.errors) throw new Error(`${r.non2xx} answers were not 2xx, ${r.errors} requests failed`);
  const after = await server.usage();
  const used = after.cpuMicros - before.cpuMicros;
  const elapsedMs = performance.now() - startedAt;
  const main = after.mainMicros !== undefined && before.mainMicros !== undefined;
  return {
    rps: r.requests.total / (typeof duration === 'number' ? duration : elapsedMs / 1000),
    cpu: used / r.requests.total,
    offMain: main ? (used - (after.mainMicros! - before.mainMicros!)) / r.requests.total : undefined,
    requests: r.requests.total,
    // the share of the phase the server was on a CPU: near 1, the server was what limited the rate
    busy: used / (elapsedMs * 1000),
    gc: {
      minor: after.gc.minor - before.gc.minor,
      major: after.gc.major - before.gc.major,
      ms: after.gc.ms - before.gc.ms,
    },
  };
}

async function freshTask(url: string): Promise<string> {
  const r = await fetch(`${url}/v1/videos/generations`, { method: 'POST', headers, body });
  return `/v1/tasks/${((await r.json()) as { id: string }).id}`;
}

/** Loads a phase on both servers, in `order`: one pair of samples. */
async function pairOf(servers: Record<Kind, Server>, phase: Phase, order: Kind[], duration: number) {
  const pair = {} as Record<Kind, Sample>;
  for (const k of order) {
    const path = phase === 'create' ? '/v1/videos/generations' : await freshTask(servers[k].url);
    pair[k] = await load(servers[k], path, phase === 'create', duration);
  }
  return pair;
}

/**
 * warm up, create and poll: the JIT compiles both paths before a phase is measured. A count of requests, not seconds:
 * on a busy machine a second held a few hundred, and the JIT's compiling then fell into the measured phases.
 */
async function warmUp(servers: Record<Kind, Server>): Promise<void> {
  const amount = { amount: warmUpRequests };
  for (const k of ['without', 'with'] as const) {
    await load(servers[k], '/v1/videos/generations', true, amount);
    await load(servers[k], await freshTask(servers[k].url), false, amount);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const emptyPhases = (): Record<Leg, Record<Phase, Pairs>> => ({
  mock: { create: [], poll: [] },
  proxy: { create: [], poll: [] },
});
const loadAtStart = os.loadavg()[0]!.toFixed(1);
const children: ChildProcess[] = [];
const started = async (core: '0' | '1', kind: string, ...rest: string[]) => {
  const p = await start(core, kind, ...rest);
  children.push(p.child);
  return p;
};
const stop = (p: Process) => {
  p.child.kill('SIGINT');
  children.splice(children.indexOf(p.child), 1);
};
const note = (s: string) => process.stderr.write(`${s}\n`);
const upstream = await started('0', 'routes');
const upstreamUrl = upstream.line.url!;

/** The same-process way: per leg, `processes` processes holding both servers, `pairsPerPhase` alternations each. */
async function sameProcess(): Promise<Record<Leg, Record<Phase, Pairs>>> {
  const phases = emptyPhases();
  for (let n = 0; n < processes; n++)
    for (const leg of ['mock', 'proxy'] as const) {
      const p = await started('1', leg === 'mock' ? 'routes-pair' : 'proxy-pair', upstreamUrl);
      const servers = {
        without: { url: p.line.without!, usage: p.usage },
        with: { url: p.line.with!, usage: p.usage },
      };
      await warmUp(servers);
      for (const phase of ['create', 'poll'] as const)
        for (let i = 0; i < pairsPerPhase; i++) {
          const pair = await pairOf(
            servers,
            phase,
            (n + i) % 2 ? ['with', 'without'] : ['without', 'with'],
            pairSeconds,
          );
          phases[leg][phase].push(pair);
        }
      stop(p);
      note(`same process ${n + 1}/${processes} ${leg}: ${summary(phases[leg])}`);
    }
  return phases;
}

/** The fresh-process way: each round starts the four servers afresh, each in its own process. */
async function freshProcesses(): Promise<Record<Leg, Record<Phase, Pairs>>> {
  const phases = emptyPhases();
  for (let round = 0; round < rounds; round++) {
    const [mockWithout, mockWith, proxyWithout, proxyWith] = await Promise.all([
      started('1', 'routes'),
      started('1', 'record'),
      started('1', 'proxy', upstreamUrl),
      started('1', 'proxy-record', upstreamUrl),
    ]);
    const server = (p: Process): Server => ({ url: p.line.url!, usage: p.usage });
    const legs = {
      mock: { without: server(mockWithout), with: server(mockWith) },
      proxy: { without: server(proxyWithout), with: server(proxyWith) },
    };
    for (const servers of Object.values(legs)) await warmUp(servers);
    const order: Kind[] = round % 2 ? ['with', 'without'] : ['without', 'with'];
    for (const leg of ['mock', 'proxy'] as const)
      for (const phase of ['create', 'poll'] as const)
        phases[leg][phase].push(await pairOf(legs[leg], phase, order, seconds));
    for (const p of [mockWithout, mockWith, proxyWithout, proxyWith]) stop(p);
    note(`fresh round ${round + 1}/${rounds}: mock ${summary(phases.mock)}; proxy ${summary(phases.proxy)}`);
  }
  return phases;
}

const ratioOf = (p: Record<Kind, Sample>) => p.with.rps / p.without.rps;
const ratio = (pairs: Pairs) => median(pairs.map(ratioOf));
const summary = (leg: Record<Phase, Pairs>) =>
  `create ${ratio(leg.create).toFixed(2)}×, poll ${ratio(leg.poll).toFixed(2)}× (medians so far)`;

let same: Record<Leg, Record<Phase, Pairs>>;
let fresh: Record<Leg, Record<Phase, Pairs>>;
try {
  same = await sameProcess();
  fresh = await freshProcesses();
} finally {
  for (const child of children.splice(0)) child.kill('SIGINT');
}

const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
/** the lowest and highest per-pair ratio: how much the machine moved the pairs */
const spread = (pairs: Pairs) => {
  const rs = pairs.map(ratioOf);
  return `${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}`;
};
const cpu = (pairs: Pairs, k: Kind) => median(pairs.map((p) => p[k].cpu));
/** the median CPU µs per request off the main thread (JIT, collector helpers), when the server could tell */
const offMain = (pairs: Pairs, k: Kind) =>
  pairs.every((p) => p[k].offMain !== undefined) ? fmt(median(pairs.map((p) => p[k].offMain!))) : '?';
/** collections per 1,000 requests over all of a variant's phases: young-generation, full */
const gcPer1000 = (pairs: Pairs, k: Kind) => {
  const requests = pairs.reduce((n, p) => n + p[k].requests, 0);
  const per = (f: keyof Gc) => (1000 * pairs.reduce((n, p) => n + p[k].gc[f], 0)) / requests;
  return `${per('minor').toFixed(1)}/${per('major').toFixed(2)}`;
};
/** the median share of each phase the server was on a CPU, without and with (the lower one) */
const busy = (pairs: Pairs) =>
  Math.min(median(pairs.map((p) => p.without.busy)), median(pairs.map((p) => p.with.busy)));

const below: string[] = [];
/** the median over pairs of requests per CPU second with ÷ without (CPU µs per request without ÷ with) */
const cpuRatio = (pairs: Pairs) => median(pairs.map((p) => p.without.cpu / p.with.cpu));
/** the share of its phases a server must have been on its CPU for requests/s to measure it (not the load generator) */
const LIMITED = 0.85;

/**
 * The goal's figure of a phase: the median paired ratio of requests/s when the server limited the rate; when it did
 * not (a busy machine starved the load generator), requests/s measured the load generator, and requests per CPU second
 * (what the server serves when it is the limit) stands in.
 */
const judgedRatio = (pairs: Pairs) =>
  busy(pairs) >= LIMITED ? { value: ratio(pairs), of: 'req/s' } : { value: cpuRatio(pairs), of: 'req per CPU s' };

function table(title: string, phases: Record<Leg, Record<Phase, Pairs>>, judged: boolean): void {
  console.log(`\n${title}\n`);
  console.log(
    '| leg, phase | req/s without vs with | req/s with ÷ without (median; pairs; spread) | CPU µs per request, ' +
      'without vs with (of it off the main thread) | req per CPU s with ÷ without (median) | on its CPU | ' +
      'GC per 1,000 requests (young/full), without vs with |\n|---|---|---|---|---|---|---|',
  );
  for (const leg of ['mock', 'proxy'] as const)
    for (const phase of ['create', 'poll'] as const) {
      const pairs = phases[leg][phase];
      if (!pairs.length) continue;
      const rps = (k: Kind) => fmt(median(pairs.map((p) => p[k].rps)));
      const j = judgedRatio(pairs);
      if (judged && j.value < 0.8) below.push(`${leg} ${phase} ${j.value.toFixed(3)}× (${j.of})`);
      const bold = (of: string, v: number) => (judged && j.of === of ? `**${v.toFixed(2)}×**` : `${v.toFixed(2)}×`);
      console.log(
        `| ${leg} ${phase} | ${rps('without')} vs ${rps('with')} | ${bold('req/s', ratio(pairs))} ` +
          `(${pairs.length}; ${spread(pairs)}) | ${fmt(cpu(pairs, 'without'))} vs ${fmt(cpu(pairs, 'with'))} ` +
          `(${offMain(pairs, 'without')} vs ${offMain(pairs, 'with')}) | ${bold('req per CPU s', cpuRatio(pairs))} | ` +
          `${(100 * busy(pairs)).toFixed(0)}% | ${gcPer1000(pairs, 'without')} vs ${gcPer1000(pairs, 'with')} |`,
      );
    }
}
table(
  `**Same process** (the goal: each bold median ≥ 0.8×) — ${processes} processes per leg, each holding both ` +
    `servers, ${pairsPerPhase} pairs of ${pairSeconds} s phases per phase and process. Bold: req/s when the server ` +
    `was on its CPU ≥ ${100 * LIMITED}% of its phases (it limited the rate), else req per CPU s (a busy machine ` +
    'starved the load generator; rerun on an idle machine for req/s)',
  same,
  true,
);
table(`**Fresh processes** — ${rounds} rounds of ${seconds} s phases, every server a process of its own`, fresh, false);
const total = [same, fresh]
  .flatMap((w) => Object.values(w).flatMap((l) => [...l.create, ...l.poll]))
  .reduce((n, p) => n + p.without.requests + p.with.requests, 0);
console.log(
  `\n${fmt(total)} requests; node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ` +
    `load average ${loadAtStart} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (${os.cpus().length} cores)` +
    (pinned ? '; each measured server alone on CPU 1, the load generator on CPU 0' : '; not pinned'),
);
// the table rounds to two places: say which median is below 0.8, and by how much
if (below.length) console.log(`below 0.8 (same process): ${below.join(', ')}`);
if (below.length) process.exitCode = 1;
