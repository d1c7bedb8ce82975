// The proxy stopping with requests in flight, through the code the CLI runs on SIGINT/SIGTERM (serveUntilStopped,
// with an emitter for the process): a request in flight finishes within the drain; past the drain's deadline, or at a
// second signal, the proxy answers it 503 itself; either way the record holds it. Time: the upstream answers when
// the test says (no timer); the drain's deadline under fake timers.
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Har } from '../src/har/har-types.ts';
import { startProxy, type ProxyOptions } from '../src/proxy/proxy-server.ts';
import { serveUntilStopped } from '../src/proxy/proxy-signals.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { heldGateway } from './support/held-gateway.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-proxy-stop-secret-1a2b3c';
const auth = { authorization: `Bearer ${KEY}` };
const CREATE = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat' });
let spec: ProviderSpec;
let gateway: Awaited<ReturnType<typeof heldGateway>>;

beforeAll(async () => {
  spec = await loadSpecById('evolink-kling-v3-t2v');
  gateway = await heldGateway();
});
afterAll(() => gateway.close());

async function recording(options: Partial<ProxyOptions> = {}) {
  const har = join(tempFolder('kc-proxy-stop-'), 'stop.har');
  const proxy = await startProxy({
    spec,
    upstream: gateway.url,
    upstreamAllow: ['127.0.0.1'],
    record: har,
    ...options,
  });
  const entries = () => (JSON.parse(readFileSync(har, 'utf8')) as Har).log.entries;
  return { proxy, entries };
}

const create = (url: string) =>
  request(`${url}/v1/videos/generations`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: CREATE,
  });

/** serveUntilStopped as the CLI runs it, on an emitter standing in for the process; resolves `stopping` at the drain */
function serving(proxy: Awaited<ReturnType<typeof startProxy>>) {
  const signals = new EventEmitter();
  let told: (s: string) => void = () => {};
  const stopping = new Promise<string>((resolve) => {
    told = resolve;
  });
  const done = serveUntilStopped(proxy, (why, inFlight) => told(`${why}: ${inFlight} in flight`), signals);
  return { signals, stopping, done };
}

describe('proxy stop with requests in flight', () => {
  it('SIGTERM: the request in flight finishes in the drain, new connections refused, recorded', async () => {
    const { proxy, entries } = await recording();
    const stop = serving(proxy);
    const poll = request(`${proxy.url}/v1/tasks/task-held`, { headers: auth });
    const held = await gateway.next();
    stop.signals.emit('SIGTERM');
    expect(await stop.stopping).toBe('SIGTERM: 1 in flight');
    await expect(request(`${proxy.url}/v1/tasks/late`, { headers: auth })).rejects.toThrow(/ECONNREFUSED/);
    held.answer(200, { id: 'task-held', status: 'processing' });
    const res = await poll;
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(await res.body.json()).toEqual({ id: 'task-held', status: 'processing' });
    const { why, summary } = await stop.done;
    expect(why).toBe('SIGTERM');
    expect(summary).toEqual({ inFlight: 1, cut: 0, refused: 0 });
    expect(stop.signals.listenerCount('SIGINT') + stop.signals.listenerCount('SIGTERM')).toBe(0);
    const [entry, ...more] = entries();
    expect(more).toEqual([]);
    expect(entry?.response.status).toBe(200);
    expect(entry?.request.url).toMatch(/\/v1\/tasks\/task-held$/);
  });

  it("past the drain deadline: the proxy's 503 in the provider shape, recorded as cut", async () => {
    const { proxy, entries } = await recording({ drainMs: 5000 });
    const pending = create(proxy.url);
    const held = await gateway.next();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let closing: ReturnType<typeof proxy.close>;
    try {
      closing = proxy.close();
      await vi.advanceTimersByTimeAsync(4999);
      expect(proxy.inFlight()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(proxy.inFlight()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    const res = await pending;
    expect(res.statusCode).toBe(503);
    expect(res.headers['x-kc-proxy']).toMatch(/^cut-at-stop/);
    const { error } = (await res.body.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('proxy_stopping');
    expect(error.message).toMatch(/kling-conformance proxy stopped \(the 5 s drain deadline passed\) before the/);
    expect(error.message).toMatch(/forwarded, so the gateway may have acted on it \(a create may have made a task\)/);
    expect(await closing).toEqual({ inFlight: 1, cut: 1, refused: 0 });
    // the gateway's late answer goes nowhere, and is no upstream failure
    held.answer(200, { id: 'task-late', object: 'video.generation' });
    const [entry, ...more] = entries();
    expect(more).toEqual([]);
    expect(entry?.response.status).toBe(503);
    expect(entry?._kc).toMatchObject({ operation: 'create', step: 'cut-at-stop' });
    expect(entry?.response.content.comment).toMatch(/drain deadline passed\) before the upstream answered/);
    expect(entry?.request.postData?.text).toBe(CREATE);
    expect(proxy.findings.results().find((r) => r.id === 'proxy.upstream')).toBeUndefined();
    expect(proxy.counts).toMatchObject({ forwarded: 1, tasksCreated: 0 });
  });

  it('a second signal ends the drain: in flight or still sending its body, each gets 503, recorded', async () => {
    const { proxy, entries } = await recording();
    const stop = serving(proxy);
    const poll = request(`${proxy.url}/v1/tasks/task-second`, { headers: auth });
    await gateway.next();
    // a client still sending its body: headers and half of it have come
    const body = new PassThrough();
    const bodyStarted = new Promise<void>((resolve) =>
      proxy.server.once('request', (req) => req.once('data', () => resolve())),
    );
    const slow = request(`${proxy.url}/v1/videos/generations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'content-length': String(CREATE.length) },
      body,
    });
    body.write(CREATE.slice(0, 10));
    await bodyStarted;
    stop.signals.emit('SIGINT');
    expect(await stop.stopping).toBe('SIGINT: 2 in flight');
    stop.signals.emit('SIGINT');
    const res = await poll;
    expect(res.statusCode).toBe(503);
    expect(((await res.body.json()) as { error: { message: string } }).error.message).toMatch(
      /stopped \(a second SIGINT\) before the upstream answered/,
    );
    const slowAnswer = await slow;
    expect(slowAnswer.statusCode).toBe(503);
    expect(((await slowAnswer.body.json()) as { error: { message: string } }).error.message).toMatch(
      /before the request was forwarded: the gateway never saw it/,
    );
    const { why, summary } = await stop.done;
    expect(why).toBe('SIGINT');
    expect(summary).toEqual({ inFlight: 2, cut: 2, refused: 0 });
    const recorded = entries();
    expect(recorded.map((e) => [e.response.status, e._kc?.step])).toEqual([
      [503, 'cut-at-stop'],
      [503, 'cut-at-stop'],
    ]);
    expect(recorded[1]?.request.postData?.text).toBe(CREATE.slice(0, 10));
    expect(recorded[1]?.response.content.comment).toMatch(/gateway never saw it/);
  });

  it('a request pipelined behind one in flight at the stop gets its 503 after the first answer', async () => {
    const { proxy, entries } = await recording();
    const socket = connect(Number(new URL(proxy.url).port), '127.0.0.1');
    let raw = '';
    socket.on('data', (d: Buffer) => {
      raw += d.toString();
    });
    const closed = new Promise((resolve) => socket.on('close', resolve));
    const get = (id: string) => `GET /v1/tasks/${id} HTTP/1.1\r\nhost: proxy\r\nauthorization: Bearer ${KEY}\r\n\r\n`;
    socket.write(get('first'));
    const held = await gateway.next();
    const closing = proxy.close();
    const arrived = new Promise((resolve) => proxy.server.once('request', resolve));
    socket.write(get('second'));
    await arrived;
    held.answer(200, { id: 'first', status: 'processing' });
    expect(await closing).toEqual({ inFlight: 1, cut: 0, refused: 1 });
    await closed;
    const answers = raw.split(/(?=HTTP\/1\.1 )/);
    expect(answers.map((a) => a.slice(0, 12))).toEqual(['HTTP/1.1 200', 'HTTP/1.1 503']);
    expect(answers[0]).not.toMatch(/connection: close/i);
    expect(answers[1]).toMatch(/connection: close[\s\S]*"code":"proxy_stopping".*forwards no new request/);
    expect(entries().map((e) => [e.request.url.replace(/.*\/tasks\//, ''), e.response.status, e._kc?.step])).toEqual([
      ['first', 200, undefined],
      ['second', 503, 'refused-at-stop'],
    ]);
  });
});
