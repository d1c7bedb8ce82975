// The proxy between hostile peers: an upstream that never answers, one whose answer trickles in forever, one whose
// answer never ends, a client that goes away mid-body, a client that sends its body too slowly. Each wait has a
// deadline and each read a cap; what the proxy answers itself is recorded; only the upstream's failures count as such.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Har } from '../src/har/har-types.ts';
import { startProxy, type ProxyOptions } from '../src/proxy/proxy-server.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { heldGateway } from './support/held-gateway.ts';
import { tempFolder } from './support/temp-folder.ts';

const auth = { authorization: 'Bearer sk-proxy-hostile-4d5e6f' };
const CREATE = JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat' });
let spec: ProviderSpec;
let gateway: Awaited<ReturnType<typeof heldGateway>>;

beforeAll(async () => {
  spec = await loadSpecById('evolink-kling-v3-t2v');
  gateway = await heldGateway();
});
afterAll(() => gateway.close());

async function recording(options: Partial<ProxyOptions> = {}) {
  const har = join(tempFolder('kc-proxy-hostile-'), 'hostile.har');
  const proxy = await startProxy({
    spec,
    upstream: gateway.url,
    upstreamAllow: ['127.0.0.1'],
    record: har,
    ...options,
  });
  const entries = async () => {
    await proxy.close();
    return (JSON.parse(readFileSync(har, 'utf8')) as Har).log.entries;
  };
  return { proxy, entries };
}

const poll = (url: string) => request(`${url}/v1/tasks/task-1`, { headers: auth });
const errorOf = async (res: Awaited<ReturnType<typeof request>>) =>
  ((await res.body.json()) as { error: { code: string; message: string } }).error;

describe('proxy against hostile peers', () => {
  it('an upstream that never answers: 502 at the deadline, an upstream failure, recorded', async () => {
    // the deadline here is undici's own headers timer (real time): the test waits for the answer, asserts no time
    const { proxy, entries } = await recording({ timeoutMs: 20 });
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
    const { proxy, entries } = await recording({ now: () => now });
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
    const { proxy, entries } = await recording({ answerLimitBytes: 64 * 1024 });
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
    const { proxy, entries } = await recording({ maxUpstreamFailures: 1 });
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
    const { proxy, entries } = await recording({ clientTimeoutMs: 200 });
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
