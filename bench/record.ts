/**
 * What recording costs (`npm run bench:record [-- --rounds 7 --seconds 2]`): the EvoLink mock's route table without
 * and with `--record` (every exchange redacted and journalled as HAR), each in its own process, side by side in one
 * run. Each round loads create, then poll, on both servers back to back (autocannon, 10 connections, `--seconds`
 * each; which server goes first alternates by round), so both meet the same machine load; the ratio with ÷ without
 * is taken per round and the median over the rounds reported, with the median requests/s and the server's own CPU
 * time per request (read from the server process). Exits 1 when a median ratio is below 0.8.
 */
import { type ChildProcess, spawn } from 'node:child_process';
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
type Kind = 'routes' | 'record';
type Sample = { rps: number; cpu: number; requests: number };

async function start(kind: Kind): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/mock-http-server.ts', kind], {
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
  if (r.non2xx) throw new Error(`${r.non2xx} answers were not 2xx`);
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
const servers: Record<Kind, Server> = { routes: await start('routes'), record: await start('record') };
const phases = { create: [] as Record<Kind, Sample>[], poll: [] as Record<Kind, Sample>[] };
try {
  for (const k of ['routes', 'record'] as const) await load(servers[k], '/v1/videos/generations', true, 1);
  for (let round = 0; round < rounds; round++) {
    const order: Kind[] = round % 2 ? ['record', 'routes'] : ['routes', 'record'];
    for (const phase of ['create', 'poll'] as const) {
      const pair = {} as Record<Kind, Sample>;
      for (const k of order) {
        const path = phase === 'create' ? '/v1/videos/generations' : await freshTask(servers[k].url);
        pair[k] = await load(servers[k], path, phase === 'create', seconds);
      }
      phases[phase].push(pair);
      process.stderr.write(
        `round ${round + 1}/${rounds} ${phase}: ${(pair.record.rps / pair.routes.rps).toFixed(2)}×\n`,
      );
    }
  }
} finally {
  for (const s of Object.values(servers)) s.child.kill('SIGINT');
}
const fmt = (v: number) => Math.round(v).toLocaleString('en-US');
const cell = (pairs: Record<Kind, Sample>[], k: Kind) =>
  `${fmt(median(pairs.map((p) => p[k].rps)))} | ${fmt(median(pairs.map((p) => p[k].cpu)))}`;
const ratio = (pairs: Record<Kind, Sample>[]) => median(pairs.map((p) => p.record.rps / p.routes.rps));
const cpuRatio = (pairs: Record<Kind, Sample>[]) => median(pairs.map((p) => p.routes.cpu / p.record.cpu));
const total = Object.values(phases)
  .flat()
  .reduce((n, p) => n + p.routes.requests + p.record.requests, 0);
console.log('| mock | create req/s | CPU µs / create | poll req/s | CPU µs / poll |\n|---|---|---|---|---|');
console.log(`| without \`--record\` | ${cell(phases.create, 'routes')} | ${cell(phases.poll, 'routes')} |`);
console.log(`| with \`--record\` | ${cell(phases.create, 'record')} | ${cell(phases.poll, 'record')} |`);
console.log(
  `| with ÷ without (median of ${rounds} paired rounds) | **${ratio(phases.create).toFixed(2)}×** | ` +
    `${cpuRatio(phases.create).toFixed(2)}× requests per CPU second | **${ratio(phases.poll).toFixed(2)}×** | ` +
    `${cpuRatio(phases.poll).toFixed(2)}× requests per CPU second |`,
);
console.log(`\n${fmt(total)} requests; node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
if (Math.min(ratio(phases.create), ratio(phases.poll)) < 0.8) process.exitCode = 1;
