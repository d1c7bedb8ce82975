/**
 * The mock's memory under large creates: starts `kling-conformance mock` in its own process, sends 3,000 creates
 * (8 at a time) each with a 1 MB undeclared field, then pages through GET /__mock/tasks, and prints the mock's
 * resident memory (VmRSS) and its peak (VmHWM) from /proc (Linux).
 * Run: node --import tsx bench/mock-memory.ts [creates] [field-bytes]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'undici';

const creates = Number(process.argv[2] ?? 3000);
const fieldBytes = Number(process.argv[3] ?? 1_000_000);
const mock = spawn(
  process.execPath,
  ['bin/kling-conformance.js', 'mock', '--provider', 'evolink-kling-v3-t2v', '--valid-key', 'k'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise<string>((resolve) => {
  let out = '';
  mock.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
    if (m) resolve(m[0]);
  });
});
const memory = () => {
  const status = readFileSync(`/proc/${mock.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
};
const body = JSON.stringify({
  model: 'kling-v3-text-to-video',
  prompt: 'a cat skateboarding through a neon city',
  extra: 'x'.repeat(fieldBytes),
});
const before = memory();
let next = 0;
let failed = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next++ < creates) {
      const res = await request(`${url}/v1/videos/generations`, {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body,
      });
      await res.body.dump();
      if (res.statusCode !== 200) failed += 1;
    }
  }),
);
const afterCreates = memory();
let pages = 0;
let listed = 0;
let after: string | undefined;
do {
  const res = await request(`${url}/__mock/tasks${after ? `?after=${after}` : ''}`);
  listed += ((await res.body.json()) as unknown[]).length;
  after = res.headers['x-mock-next-after'] as string | undefined;
  pages += 1;
} while (after);
const afterListing = memory();
mock.kill();
console.log(
  `${creates} creates with a ${fieldBytes}-byte extra field (${failed} not 200): mock RSS ${before.rssMb} MB at ` +
    `start, ${afterCreates.rssMb} MB after the creates, ${afterListing.rssMb} MB after listing ${listed} tasks in ` +
    `${pages} pages; peak ${afterListing.peakMb} MB`,
);
