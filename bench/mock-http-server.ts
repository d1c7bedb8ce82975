/**
 * One server for bench/mock-http.ts, in its own process (so the load generator never shares its thread):
 *   plain  — node:http reading the body and validating it with the same ajv request validator the mock uses
 *   routes — the EvoLink mock behind its node:http route table (what `kling-conformance mock` serves)
 *   msw    — the same mock routes as msw handlers behind msw's getResponse (the adapter for in-process use)
 *   record — the routes with `--record` (every exchange journalled as HAR; bench/record.ts compares it with routes)
 *   proxy, proxy-record — `proxy` in front of the upstream URL given after the kind (a loopback mock), without and
 *            with `--record` (bench/record.ts)
 * Prints `{"url": …, "poll": "/v1/tasks/<id>"}` on stdout once listening (proxies: `{"url": …}`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '../src/core/clock.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { compileValidators } from '../src/validate/compile-validators.ts';
import { startMocks } from '../src/mock/start-mocks.ts';
import { startProxy } from '../src/proxy/proxy-server.ts';
import { BENCH_KEY } from './bench-key.ts';

const kind = process.argv[2] as 'plain' | 'routes' | 'msw' | 'record' | 'proxy' | 'proxy-record';
// stopped with SIGINT or SIGTERM (or its parent gone: stdin closed): exit normally (so a --cpu-prof run writes its
// profile), removing the temp folders that hold the journals (100–250 MB per bench run)
const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
// a line on stdin asks for the CPU time this process has used so far (µs), answered as one JSON line on stdout
process.stdin.on('data', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: cpu.user + cpu.system })}\n`);
});
const spec = await loadSpecById('evolink-kling-v3-t2v');
const tempHar = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-bench-'));
  tempDirs.push(dir);
  return join(dir, 'bench.har');
};
if (kind === 'proxy' || kind === 'proxy-record') {
  const upstream = process.argv[3]!;
  const record = kind === 'proxy-record' ? tempHar() : undefined;
  const proxy = await startProxy({ spec, upstream, upstreamAllow: [new URL(upstream).host], record });
  console.log(JSON.stringify({ url: proxy.url }));
} else if (kind === 'plain') {
  const validate = compileValidators(spec).request;
  const task = '{"id":"task-unified-1","object":"video.generation.task","status":"pending","progress":0}';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const result = validate(body);
        res.writeHead(result.valid ? 200 : 400, { 'content-type': 'application/json' });
        res.end(result.valid ? task : JSON.stringify({ error: result.errors[0] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(task);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    console.log(JSON.stringify({ url, poll: '/v1/tasks/task-unified-1' }));
  });
} else {
  // record: the route table recording every exchange to a HAR journal (what `mock --record` does)
  const record = kind === 'record' ? { file: tempHar() } : undefined;
  const [mock] = await startMocks(
    [spec],
    // the mock's defaults (maxTasks 50,000: the rounds' creates pass it, and eviction is part of what is measured);
    // the bench creates a fresh task to poll before each poll phase
    { clock: new VirtualClock(Date.now()), validKeys: [BENCH_KEY], record },
    { adapter: kind === 'msw' ? 'msw' : 'routes' },
  );
  const created = await fetch(`${mock!.url}/v1/videos/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(spec.create.examples[0]!.value),
  });
  const { id } = (await created.json()) as { id: string };
  console.log(JSON.stringify({ url: mock!.url, poll: `/v1/tasks/${id}` }));
}
