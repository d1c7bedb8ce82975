// A wrong --base-url never reads as a conforming gateway. A server answering 404 to everything (or the mock behind a
// wrong path prefix) does not serve the documented create route: exit 2, TARGET_NOT_FOUND, the URL tried and the
// fix. A gateway that serves the documented routes but answers a bare 404 where the documents give a 404 error body
// fails the checks that expect that 404.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { startDeviatingMock } from './support/deviating-mock.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { serveCli } from './support/serve-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-wrong-base-0123456789abcdef';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const HOP = ['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'];

/** A node:http server on loopback; `answer` answers each request (after its body was read). */
async function serve(
  answer: (method: string, path: string, body: Buffer, headers: Record<string, string>) => Promise<Response>,
): Promise<string> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(
      // fetch sets its own framing: a forwarded content-length (a GET's, one of a body fetch frames anew) it refuses
      Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' && !HOP.includes(k) ? [[k, v]] : [])),
    );
    const r = await answer(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks), headers);
    // (fetch has decoded the body: its length and encoding headers no longer hold)
    const out: Record<string, string> = {};
    r.headers.forEach((v, k) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding'].includes(k)) out[k] = v;
    });
    res.writeHead(r.status, out);
    res.end(Buffer.from(await r.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const bare404 = () => new Response('Not Found', { status: 404, headers: { 'content-type': 'text/html' } });
/** a router's own JSON 404: the documented schema ({error: {code, message}}), not the documented code */
const router404 = () =>
  Response.json({ error: { code: 'not_found', message: 'no route for this path' } }, { status: 404 });

/** The faithful mock of a provider, answering KEY. */
async function mockOf(provider: string): Promise<string> {
  const spec = await loadSpecById(provider);
  const mock = await startDeviatingMock(spec, { clock: new VirtualClock(Date.now()), validKeys: [KEY] }, {});
  closers.push(mock.close);
  return mock.url;
}

async function live(provider: string, baseUrl: string, extra: string[] = []) {
  const dir = tempFolder('kc-wrong-base-');
  const r = await runCli(
    [
      ...liveRunArgs(provider, baseUrl, 'KC_WRONG_BASE_KEY'),
      '--report-dir',
      dir,
      '--history',
      join(dir, 'h.jsonl'),
    ].concat(extra),
    { env: { KC_WRONG_BASE_KEY: KEY }, timeoutMs: 120_000 },
  );
  return { r, dir };
}

describe('a wrong --base-url', () => {
  it('a server answering 404 to everything: exit 2, TARGET_NOT_FOUND, the create URL tried and the fix', async () => {
    const url = await serve(async () => bare404());
    const { r, dir } = await live('evolink-kling-v3-t2v', url);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('TARGET_NOT_FOUND');
    expect(r.stderr).toContain(`POST ${url}/v1/videos/generations`);
    expect(r.stderr).toContain('answered 404 text/html');
    expect(r.stderr).toMatch(/fix: check --base-url: evolink-kling-v3-t2v's documented server is/);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
    expect(r.stderr + r.stdout).not.toContain(KEY);
  }, 120_000);

  it('the right host with a wrong path prefix (`mock`, whose unknown routes answer a JSON 404): exit 2', async () => {
    const mock = await serveCli(['mock', '--json', '--provider', 'fal-kling-v3-standard-t2v', '--valid-key', KEY]);
    closers.push(async () => void (await mock.stop()));
    const { r } = await live('fal-kling-v3-standard-t2v', `${mock.url}/v2`);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`TARGET_NOT_FOUND: ${mock.url}/v2 does not serve fal-kling-v3-standard-t2v`);
    expect(r.stderr).toContain('answered 404 application/json');
    expect(r.stderr).toContain("fal-kling-v3-standard-t2v's documented server is https://queue.fal.run");
    // the same mock at its own URL is served: no harness error
    const right = await live('fal-kling-v3-standard-t2v', mock.url, ['--checks', 'auth.missing_key']);
    expect(right.r.code, right.r.stderr).toBe(0);
  }, 120_000);

  it("the documented routes served, but a router's 404 where the documented 404 is expected: those fail", async () => {
    const mock = await mockOf('toapis-kling-3.0-turbo');
    // a router in front of the faithful mock that swaps every 404 for its own
    const url = await serve(async (method, path, body, headers) => {
      const r = await fetch(`${mock}${path}`, {
        method,
        headers,
        body: method === 'GET' ? undefined : new Uint8Array(body),
      });
      return r.status === 404 ? router404() : r;
    });
    const { r, dir } = await live('toapis-kling-3.0-turbo', url, [
      '--checks',
      'lifecycle.unknown_task',
      'shape.error.404',
      'auth.missing_key',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const { results } = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      results: { id: string; status: string; message: string }[];
    };
    const byId = Object.fromEntries(results.map((x) => [x.id, x]));
    // the create route is served: no harness error, and what the gateway answers as documented still passes
    expect(byId['auth.missing_key']!.status).toBe('pass');
    for (const id of ['lifecycle.unknown_task', 'shape.error.404']) expect(byId[id]!.status, id).toBe('fail');
    for (const id of ['lifecycle.unknown_task', 'shape.error.404'])
      expect(byId[id]!.message, id).toContain('error code "not_found" at /error/code is none of the documented 404');
  }, 120_000);
});
