/**
 * What recording costs (`npm run bench:record`): the EvoLink mock's route table with and without `--record` (every
 * exchange redacted and journalled as HAR), each in its own process, autocannon (10 connections, 3 s) on create and
 * poll, rounds alternating between the two, medians of 3 rounds after a 1 s warm-up. Prints requests/s, and the
 * server's own CPU time per request (read from the server process: on a shared machine it moves far less than
 * requests/s, which depends on what else runs), and the ratios with/without.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

const body = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat skateboarding through a neon city' });
const headers = { authorization: 'Bearer bench-key', 'content-type': 'application/json' };
type Server = { child: ChildProcess; url: string; cpu(): Promise<number> };

async function start(kind: 'routes' | 'record'): Promise<Server> {
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

/** requests/s, and the server's CPU µs per request, of one autocannon phase */
async function load(server: Server, path: string, post: boolean, seconds: number): Promise<[number, number]> {
  const before = await server.cpu();
  const r = await autocannon({
    url: `${server.url}${path}`,
    connections: 10,
    duration: seconds,
    method: post ? 'POST' : 'GET',
    headers,
    ...(post ? { body } : {}),
  });
  if (r.non2xx) throw new Error(`${r.non2xx} answers were not 2xx`);
  return [r.requests.average, ((await server.cpu()) - before) / r.requests.total];
}

async function freshTask(url: string): Promise<string> {
  const r = await fetch(`${url}/v1/videos/generations`, { method: 'POST', headers, body });
  return `/v1/tasks/${((await r.json()) as { id: string }).id}`;
}

const kinds = ['routes', 'record'] as const;
const servers = { routes: await start('routes'), record: await start('record') };
const empty = () => ({
  create: [] as number[],
  poll: [] as number[],
  createCpu: [] as number[],
  pollCpu: [] as number[],
});
const samples = { routes: empty(), record: empty() };
try {
  for (const k of kinds) await load(servers[k], '/v1/videos/generations', true, 1);
  for (let round = 0; round < 3; round++)
    for (const k of kinds) {
      const [create, createCpu] = await load(servers[k], '/v1/videos/generations', true, 3);
      const [poll, pollCpu] = await load(servers[k], await freshTask(servers[k].url), false, 3);
      for (const [name, v] of Object.entries({ create, createCpu, poll, pollCpu }))
        samples[k][name as keyof ReturnType<typeof empty>].push(v);
    }
} finally {
  for (const s of Object.values(servers)) s.child.kill('SIGINT');
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
const m = (k: (typeof kinds)[number]) => Object.fromEntries(Object.entries(samples[k]).map(([n, v]) => [n, median(v)]));
const [off, on] = [m('routes'), m('record')] as Record<string, number>[];
const row = (name: string, r: Record<string, number>) =>
  `| ${name} | ${[r.create, r.createCpu, r.poll, r.pollCpu].map((v) => Math.round(v!)).join(' | ')} |`;
console.log('| mock | create req/s | CPU µs/create | poll req/s | CPU µs/poll |\n|---|---|---|---|---|');
console.log(row('without --record', off!));
console.log(row('with --record', on!));
console.log(
  `| with ÷ without | ${(on!.create! / off!.create!).toFixed(2)}× | ` +
    `${(off!.createCpu! / on!.createCpu!).toFixed(2)}× req per CPU s | ${(on!.poll! / off!.poll!).toFixed(2)}× | ` +
    `${(off!.pollCpu! / on!.pollCpu!).toFixed(2)}× req per CPU s |\n\nnode ${process.version}, ` +
    `${new Date().toISOString().slice(0, 10)}`,
);
