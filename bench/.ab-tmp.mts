import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { VirtualClock } from '/work/wt/i22-traffic/src/core/clock.ts';
import { loadSpecById } from '/work/wt/i22-traffic/src/spec/load-spec.ts';
import { startMocks } from '/work/wt/i22-traffic/src/mock/start-mocks.ts';
const spec = await loadSpecById('evolink-kling-v3-t2v');
const body = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat skateboarding through a neon city' });
const headers = { authorization: 'Bearer bench-key', 'content-type': 'application/json' };
const off = (await startMocks([spec], { clock: new VirtualClock(Date.now()), validKeys: ['bench-key'] }))[0]!;
const on = (
  await startMocks([spec], {
    clock: new VirtualClock(Date.now()),
    validKeys: ['bench-key'],
    record: { file: join(mkdtempSync(join(tmpdir(), 'kc-ab-')), 'b.har') },
  })
)[0]!;
const mem = (
  await startMocks([spec], { clock: new VirtualClock(Date.now()), validKeys: ['bench-key'], record: {} })
)[0]!;
const agent = new Agent({ connections: 10 });
async function drive(url: string, n: number) {
  let i = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (i++ < n) {
        const r = await request(`${url}/v1/videos/generations`, { method: 'POST', headers, body, dispatcher: agent });
        await r.body.dump();
      }
    }),
  );
}
for (const m of [off, on, mem]) await drive(m.url, 2000);
const res: Record<string, number[]> = { off: [], on: [], mem: [] };
for (let round = 0; round < 5; round++)
  for (const [k, m] of [
    ['off', off],
    ['on', on],
    ['mem', mem],
  ] as const) {
    const c = process.cpuUsage();
    await drive(m.url, 3000);
    const d = process.cpuUsage(c);
    res[k]!.push((d.user + d.system) / 3000);
  }
console.log(Object.fromEntries(Object.entries(res).map(([k, v]) => [k, [...v].sort((a, b) => a - b)[2]!.toFixed(0)])));
process.exit(0);
