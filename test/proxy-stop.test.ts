// The proxy stopping with requests in flight, through the code the CLI runs on SIGINT/SIGTERM (serveUntilStopped,
// with an emitter for the process): a request in flight finishes within the drain; past the drain's deadline, or at a
// second signal, the proxy answers it 503 itself; either way the record holds it. Time: the upstream answers when
// the test says (no timer); the drain's deadline under fake timers.
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ProxyOptions } from '../src/proxy/proxy-options.ts';
import type { startProxy } from '../src/proxy/proxy-server.ts';
import { serveUntilStopped } from '../src/proxy/proxy-signals.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { heldGateway, recordingProxy } from './support/held-gateway.ts';

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

const recording = (options: Partial<ProxyOptions> = {}) => recordingProxy(spec, gateway.url, options);

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
  it('a third signal while the stop finishes (record, reports) is held, not the default action', async () => {
    const signals = new EventEmitter();
    let finish: (summary: { inFlight: number; cut: number; refused: number }) => void = () => {};
    let cut: Promise<string> | undefined;
    const proxy = {
      stopped: new Promise<string>(() => {}),
      inFlight: () => 1,
      close: (cutNow: Promise<string>) => {
        cut = cutNow;
        return new Promise((resolve) => (finish = resolve));
      },
    };
    const held: string[] = [];
    const done = serveUntilStopped(
      proxy as never,
      () => {},
      signals,
      undefined,
      (s) => held.push(s),
    );
    signals.emit('SIGINT');
    await vi.waitFor(() => expect(cut).toBeDefined());
    signals.emit('SIGINT');
    expect(await cut).toBe('a second SIGINT');
    // on a process, a signal no listener takes ends it: with the stop not finished, none may be left untaken
    expect(signals.emit('SIGTERM')).toBe(true);
    expect(signals.emit('SIGINT')).toBe(true);
    expect(held).toEqual(['SIGTERM', 'SIGINT']);
    finish({ inFlight: 1, cut: 1, refused: 0 });
    await done;
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

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

// The proxy between hostile peers: an upstream that never answers, one whose answer trickles in forever, one whose
// answer never ends, a client that goes away mid-body, a client that sends its body too slowly. Each wait has a
// deadline and each read a cap; what the proxy answers itself is recorded; only the upstream's failures count as such.
async function recordingClosed(options: Partial<ProxyOptions> = {}) {
  const { proxy, entries } = await recordingProxy(spec, gateway.url, options);
  // the record, once the proxy is closed
  const closed = async () => {
    await proxy.close();
    return entries();
  };
  return { proxy, entries: closed };
}

const poll = (url: string) => request(`${url}/v1/tasks/task-1`, { headers: auth });
const errorOf = async (res: Awaited<ReturnType<typeof request>>) =>
  ((await res.body.json()) as { error: { code: string; message: string } }).error;

describe('proxy against hostile peers', () => {
  it('an upstream that never answers: 502 at the deadline, an upstream failure, recorded', async () => {
    // the deadline here is undici's own headers timer (real time): the test waits for the answer, asserts no time
    const { proxy, entries } = await recordingClosed({ timeoutMs: 20 });
    const res = await poll(proxy.url);
    (await gateway.next()).res.destroy();
    expect(res.statusCode).toBe(502);
    expect(await errorOf(res)).toMatchObject({ code: 'proxy_error', message: expect.stringMatching(/timeout/i) });
    expect(proxy.findings.results()).toEqual([expect.objectContaining({ id: 'proxy.upstream', status: 'error' })]);
    const [entry] = await entries();
    expect(entry?._kc?.step).toBe('upstream-failed');
    expect(entry?.response.content.comment).toMatch(/the upstream failed: .*timeout/i);
  });

  it('an upstream answer that trickles in past the deadline: 502 (virtual clock), an upstream failure', async () => {
    let now = 0;
    const { proxy, entries } = await recordingClosed({ now: () => now });
    const pending = poll(proxy.url);
    const held = await gateway.next();
    held.res.writeHead(200, { 'content-type': 'application/json' });
    held.res.write('{"id":');
    now = 60_001;
    held.res.write('"task-1"');
    const res = await pending;
    expect(res.statusCode).toBe(502);
    expect((await errorOf(res)).message).toMatch(/still arriving 60000 ms after the request was sent/);
    expect(proxy.findings.results()).toEqual([expect.objectContaining({ id: 'proxy.upstream', status: 'error' })]);
    expect((await entries())[0]?._kc?.step).toBe('upstream-failed');
  });

  it('an upstream answer that never ends: 502 past the cap, the rest not read, recorded', async () => {
    const { proxy, entries } = await recordingClosed({ answerLimitBytes: 64 * 1024 });
    const pending = poll(proxy.url);
    const held = await gateway.next();
    held.res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const more = () => {
      while (!held.res.destroyed && held.res.write(chunk));
    };
    held.res.on('drain', more);
    more();
    const res = await pending;
    expect(res.statusCode).toBe(502);
    expect((await errorOf(res)).message).toMatch(/the upstream's answer is larger than 65536 bytes/);
    expect((await entries())[0]?._kc?.step).toBe('upstream-too-large');
  });

  it('a client gone mid-body is not an upstream failure (it never stops the proxy)', async () => {
    const { proxy, entries } = await recordingClosed({ maxUpstreamFailures: 1 });
    let stopped: string | undefined;
    proxy.stopped.then((why) => {
      stopped = why;
    });
    const body = new PassThrough();
    const started = new Promise<void>((resolve) =>
      proxy.server.once('request', (req) => req.once('data', () => resolve())),
    );
    const gone = new AbortController();
    const pending = request(`${proxy.url}/v1/videos/generations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'content-length': String(CREATE.length) },
      body,
      signal: gone.signal,
    });
    body.write(CREATE.slice(0, 10));
    await started;
    gone.abort();
    await expect(pending).rejects.toThrow();
    // the drain waits for the proxy to let the exchange go
    expect(await entries()).toEqual([]);
    expect(stopped).toBeUndefined();
    expect(proxy.findings.results()).toEqual([]);
  });

  it('a client that sends its body too slowly gets 408 at the client deadline, and nothing is forwarded', async () => {
    // node:http's own request timer (real time): the test waits for the answer, asserts no time
    const { proxy, entries } = await recordingClosed({ clientTimeoutMs: 200 });
    const body = new PassThrough();
    const pending = request(`${proxy.url}/v1/videos/generations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'content-length': String(CREATE.length) },
      body,
    });
    body.write(CREATE.slice(0, 10));
    const res = await pending;
    expect(res.statusCode).toBe(408);
    await res.body.dump();
    expect(proxy.counts.forwarded).toBe(0);
    expect(proxy.findings.results()).toEqual([]);
    expect(await entries()).toEqual([]);
  });
});
