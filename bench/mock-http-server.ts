/**
 * One server for bench/mock-http.ts, in its own process (so the load generator never shares its thread):
 *   plain  — node:http reading the body and validating it with the same ajv request validator the mock uses
 *   routes — the EvoLink mock behind its node:http route table (what `kling-conformance mock` serves)
 *   msw    — the same mock routes as msw handlers behind msw's getResponse (the adapter for in-process use)
 *   record — the routes with `--record` (every exchange journalled as HAR; bench/record.ts compares it with routes)
 *   proxy, proxy-record — `proxy` in front of the upstream URL given after the kind (a loopback mock), without and
 *            with `--record` (bench/record.ts)
 *   routes-pair, proxy-pair — both of routes and record (or of proxy and proxy-record) in this one process, each on
 *            its own port: bench/record.ts loads them in turn, so what differs between two processes of the same code
 *            (JIT, memory layout, hash seeds) is the same for both
 * Prints `{"url": …, "poll": "/v1/tasks/<id>"}` on stdout once listening (proxies: `{"url": …}`; pairs:
 * `{"without": …, "with": …}`).
 * A line on stdin asks for the CPU time used so far and the garbage collections so far (minor, major, their ms).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver } from 'node:perf_hooks';
import { constants as perf } from 'node:perf_hooks';
import { VirtualClock } from '../src/core/clock.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { compileValidators } from '../src/validate/compile-validators.ts';
import { startMocks } from '../src/mock/start-mocks.ts';
import { startProxy } from '../src/proxy/proxy-server.ts';
import { BENCH_KEY } from './bench-key.ts';

type Kind = 'plain' | 'routes' | 'msw' | 'record' | 'proxy' | 'proxy-record' | 'routes-pair' | 'proxy-pair';
const kind = process.argv[2] as Kind;
// stopped with SIGINT or SIGTERM (or its parent gone: stdin closed): exit normally (so a --cpu-prof run writes its
// profile), removing the temp folders that hold the journals (100–250 MB per bench run)
const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
// garbage collections so far: young-generation (scavenges), full (mark-compacts), and their time
const gc = { minor: 0, major: 0, ms: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const gcKind = (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
    if (gcKind === perf.NODE_PERFORMANCE_GC_MINOR) gc.minor++;
    else if (gcKind === perf.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
    gc.ms += e.duration;
  }
}).observe({ entryTypes: ['gc'] });
/**
 * The main thread's CPU time so far (µs; Linux: /proc, in 10 ms ticks), undefined elsewhere: what the process used
 * besides it ran on V8's helper threads (the JIT compiling, the collector's helpers) or libuv's.
 */
function mainThreadMicros(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}
// a line on stdin asks for the CPU time this process has used so far (µs: all its threads, and the main thread's) and
// its collections so far, answered as one JSON line on stdout
process.stdin.on('data', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuMicros: cpu.user + cpu.system, mainMicros: mainThreadMicros(), gc })}\n`);
});
const spec = await loadSpecById('evolink-kling-v3-t2v');
const tempHar = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-bench-'));
  tempDirs.push(dir);
  return join(dir, 'bench.har');
};
/** `proxy` in front of `upstream`, recording to a temp journal or not; its URL */
async function proxyServer(upstream: string, record: boolean): Promise<string> {
  const proxy = await startProxy({
    spec,
    upstream,
    upstreamAllow: [new URL(upstream).host],
    record: record ? tempHar() : undefined,
  });
  return proxy.url;
}

/** the EvoLink mock behind its route table (or msw), recording to a temp journal or not (what `mock --record` does) */
async function mockServer(adapter: 'routes' | 'msw', record: boolean) {
  const [mock] = await startMocks(
    [spec],
    // the mock's defaults (maxTasks 50,000: the rounds' creates pass it, and eviction is part of what is measured);
    // the bench creates a fresh task to poll before each poll phase
    { clock: new VirtualClock(Date.now()), validKeys: [BENCH_KEY], record: record ? { file: tempHar() } : undefined },
    { adapter },
  );
  return mock!;
}

if (kind === 'proxy' || kind === 'proxy-record') {
  console.log(JSON.stringify({ url: await proxyServer(process.argv[3]!, kind === 'proxy-record') }));
} else if (kind === 'proxy-pair') {
  const [without, withRecord] = [await proxyServer(process.argv[3]!, false), await proxyServer(process.argv[3]!, true)];
  console.log(JSON.stringify({ without, with: withRecord }));
} else if (kind === 'routes-pair') {
  const [without, withRecord] = [await mockServer('routes', false), await mockServer('routes', true)];
  console.log(JSON.stringify({ without: without.url, with: withRecord.url }));
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
  const mock = await mockServer(kind === 'msw' ? 'msw' : 'routes', kind === 'record');
  const created = await fetch(`${mock.url}/v1/videos/generations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(spec.create.examples[0]!.value),
  });
  const { id } = (await created.json()) as { id: string };
  console.log(JSON.stringify({ url: mock.url, poll: `/v1/tasks/${id}` }));
}
