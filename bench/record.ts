/**
 * What recording costs (`npm run bench:record`): the EvoLink mock's route table with and without `--record` (every
 * exchange redacted and journalled as HAR), each in its own process, autocannon (10 connections, 3 s) on create and
 * poll, rounds alternating between the two, medians of 3 rounds after a 1 s warm-up. Prints requests/s and the ratio.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

const body = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat skateboarding through a neon city' });
const headers = { authorization: 'Bearer bench-key', 'content-type': 'application/json' };

async function start(kind: 'routes' | 'record'): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/mock-http-server.ts', kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((ready) => child.stdout!.once('data', (d: Buffer) => ready(d.toString())));
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

async function load(url: string, path: string, post: boolean, seconds: number): Promise<number> {
  const r = await autocannon({
    url: `${url}${path}`,
    connections: 10,
    duration: seconds,
    method: post ? 'POST' : 'GET',
    headers,
    ...(post ? { body } : {}),
  });
  if (r.non2xx) throw new Error(`${r.non2xx} answers were not 2xx`);
  return r.requests.average;
}

async function freshTask(url: string): Promise<string> {
  const r = await fetch(`${url}/v1/videos/generations`, { method: 'POST', headers, body });
  return `/v1/tasks/${((await r.json()) as { id: string }).id}`;
}

const kinds = ['routes', 'record'] as const;
const servers = { routes: await start('routes'), record: await start('record') };
const samples = {
  routes: { create: [] as number[], poll: [] as number[] },
  record: { create: [] as number[], poll: [] as number[] },
};
try {
  for (const k of kinds) await load(servers[k].url, '/v1/videos/generations', true, 1);
  for (let round = 0; round < 3; round++)
    for (const k of kinds) {
      samples[k].create.push(await load(servers[k].url, '/v1/videos/generations', true, 3));
      samples[k].poll.push(await load(servers[k].url, await freshTask(servers[k].url), false, 3));
    }
} finally {
  for (const s of Object.values(servers)) s.child.kill('SIGINT');
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
const plain = { create: median(samples.routes.create), poll: median(samples.routes.poll) };
const recorded = { create: median(samples.record.create), poll: median(samples.record.poll) };
console.log('| mock | create req/s | poll req/s |\n|---|---|---|');
console.log(`| without --record | ${Math.round(plain.create)} | ${Math.round(plain.poll)} |`);
console.log(`| with --record | ${Math.round(recorded.create)} | ${Math.round(recorded.poll)} |`);
console.log(
  `| ratio | ${(recorded.create / plain.create).toFixed(2)}× | ${(recorded.poll / plain.poll).toFixed(2)}× |\n\n` +
    `node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
