// The mock as a network citizen: no SSRF, no Host reflection, no 500 for a client's mistake, bounded memory and
// prompt shutdown. Each case failed before issue 14.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { getEventListeners } from 'node:events';
import { hostname } from 'node:os';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { VirtualClock, systemClock } from '../core/clock.ts';
import { GatewayClient } from '../client/gateway-client.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { classifyAddress } from './callback-target.ts';
import { startMocks, stopMocks, type RunningMock } from './start-mocks.ts';
import type { MockOptions } from './options.ts';

let specs: ProviderSpec[];
const running: RunningMock[] = [];
beforeAll(async () => {
  specs = await loadAllSpecs();
});
afterEach(async () => stopMocks(running.splice(0)));
const byId = (id: string) => specs.find((s) => s.id === id)!;
/** the static-key header of these (static-key) providers, as their spec's auth scheme says */
const staticAuth = (spec: ProviderSpec, key = 'k') => ({ [spec.x.auth.header]: `${spec.x.auth.prefix}${key}` });
const body = (spec: ProviderSpec) => structuredClone(spec.create.examples[0]!.value) as Record<string, unknown>;

async function mockOf(spec: ProviderSpec, options: MockOptions = {}) {
  const [mock] = await startMocks([spec], {
    clock: new VirtualClock(Date.UTC(2026, 10, 24)),
    validKeys: ['k'],
    ...options,
  });
  running.push(mock!);
  return { mock: mock!, client: new GatewayClient(spec, { baseUrl: mock!.url, apiKey: 'k', retry: false }) };
}

/** A raw HTTP exchange (for what fetch-like clients refuse to send: TRACE, bad Host, bad escapes). */
function raw(url: string, lines: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(lines));
    let out = '';
    socket.on('data', (d) => (out += d.toString()));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('hang')));
  });
}

describe('callbacks are no SSRF tool', () => {
  it('classifies every spelling of internal addresses by the address it encodes', () => {
    expect(['::ffff:127.0.0.1', '::ffff:7f00:1', '127.0.0.2', '::1', '64:ff9b::7f00:1'].map(classifyAddress)).toEqual(
      Array(5).fill('loopback'),
    );
    expect(['169.254.169.254', '::ffff:169.254.169.254', 'fe80::1', '64:ff9b::a9fe:a9fe'].map(classifyAddress)).toEqual(
      Array(4).fill('link-local'),
    );
    expect(
      [
        '::',
        '0.0.0.0',
        '10.0.0.1',
        '::ffff:10.0.0.1',
        '100.64.0.1',
        'fd00::1',
        '192.168.1.1',
        '172.16.0.1',
        '224.0.0.1',
        '2002:0a00:0001::1',
      ].map(classifyAddress),
    ).toEqual(Array(10).fill('internal'));
    expect(['8.8.8.8', '2001:4860:4860::8888'].map(classifyAddress)).toEqual(['public', 'public']);
  });

  it('refuses internal callback URLs in any spelling where the provider forbids them (EvoLink)', async () => {
    const spec = byId('evolink-kling-v3-t2v');
    const { client } = await mockOf(spec);
    for (const url of [
      'https://[::ffff:127.0.0.1]:8443/x',
      'https://[::ffff:7f00:1]/x',
      'https://[::]/x',
      'https://[::ffff:169.254.169.254]/x',
      'https://[::ffff:10.0.0.1]/x',
      'https://100.64.0.1/x',
      'https://localhost./x',
      'https://[64:ff9b::a9fe:a9fe]/x',
      'https://',
      'https://10.0.0.1/x',
    ]) {
      const r = await client.createTask({ ...body(spec), callback_url: url });
      expect(r.status, url).toBe(400);
    }
  });

  it(
    'never calls a link-local or non-allowed host, even where a provider allows any ' +
      'URL, and never follows a redirect',
    async () => {
      const base = byId('aimanyi-kling-3.0-turbo');
      // a provider whose documents put no limit on the callback URL (seed 003 did, before it was read as "public only")
      const spec = { ...base, x: { ...base.x, callbacks: { ...base.x.callbacks!, forbidInternal: false } } };
      const hits: string[] = [];
      const target = createServer((req, res) => {
        hits.push(req.url ?? '');
        if (req.url === '/redirect') {
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
          return res.end();
        }
        res.end('ok');
      });
      await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
      const port = (target.address() as AddressInfo).port;
      try {
        const { client, mock } = await mockOf(spec);
        const send = async (url: string) => {
          const id = client.taskIdOf(await client.createTask({ prompt: 'a cat', options: { callback_url: url } }))!;
          await client.waitForTask(id, { maxPolls: 5, intervalMs: 0 });
        };
        await send('http://169.254.169.254/latest/meta-data/');
        await send(`http://[::ffff:127.0.0.1]:${port}/redirect`);
        await send('http://example.invalid/hook');
        await Promise.all([...mock.state.pending]);
        const record = (part: string) => mock.state.callbacks.find((c) => c.url.includes(part))!;
        expect(record('169.254.169.254').blocked).toContain('169.254.169.254 (link-local)');
        expect(record('/redirect')).toMatchObject({ status: 302 }); // loopback allowed; the redirect is not followed
        expect(record('example.invalid').blocked).toBeDefined();
        expect(hits).toEqual(['/redirect']);
      } finally {
        target.close();
      }
    },
  );
});

describe('no Host reflection, no 500 for a client mistake', () => {
  it('result links use the bound address (or --public-base-url), never the Host header', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const { mock, client } = await mockOf(spec);
    const created = await request(`${mock.url}${spec.create.path}`, {
      method: 'POST',
      headers: { host: 'attacker.example:8443', ...staticAuth(spec), 'content-type': 'application/json' },
      body: JSON.stringify(body(spec)),
    });
    const id = ((await created.body.json()) as { id: string }).id;
    const polls = await client.waitForTask(id, { maxPolls: 5, intervalMs: 0 });
    const link = JSON.stringify(polls.at(-1)!.body);
    expect(link).not.toContain('attacker.example');
    expect(link).toContain(mock.url);
    const pub = await mockOf(spec, { publicBaseUrl: 'https://mock.ci.example' });
    const id2 = pub.client.taskIdOf(await pub.client.createTask(body(spec)))!;
    expect(JSON.stringify((await pub.client.waitForTask(id2, { maxPolls: 5, intervalMs: 0 })).at(-1)!.body)).toContain(
      'https://mock.ci.example/__mock/videos/',
    );
  });

  it('TRACE, a bad percent-escape, a bad Host header and 2,000 levels of nesting get 4xx, not 500', async () => {
    const spec = byId('evolink-kling-v3-t2v');
    const { mock } = await mockOf(spec);
    expect(await raw(mock.url, 'TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1.1 405/);
    expect(
      await raw(
        mock.url,
        `GET /v1/tasks/%ff HTTP/1.1\r\nHost: x\r\n${spec.x.auth.header}: ` +
          `${spec.x.auth.prefix}k\r\nConnection: close\r\n\r\n`,
      ),
    ).toMatch(/^HTTP\/1.1 400/);
    expect(
      await raw(
        mock.url,
        `GET /v1/tasks/x HTTP/1.1\r\nHost: [bad host\r\n${spec.x.auth.header}: ` +
          `${spec.x.auth.prefix}k\r\nConnection: close\r\n\r\n`,
      ),
    ).toMatch(/^HTTP\/1.1 (400|404)/);
    const deep = `{"prompt": "x", "a": ${'['.repeat(2000)}${']'.repeat(2000)}}`;
    const r = await request(`${mock.url}${spec.create.path}`, {
      method: 'POST',
      headers: { ...staticAuth(spec), 'content-type': 'application/json' },
      body: deep,
    });
    expect(r.statusCode).toBe(400);
    expect(await r.body.text()).toContain('nested 2001 levels deep');
  });
});

describe('scenarios and shutdown', () => {
  it('refuses steps that cannot be answered (1xx, 204, 304) or would hang (huge delays)', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const { client } = await mockOf(spec);
    for (const step of ['100', '102', '103', '199', '204', '205', '304', 'delay:2000000000', 'delay:99999999999']) {
      const r = await client.createTask(body(spec), { headers: { 'x-mock-scenario': step } });
      expect(r.status, step).toBe(400);
    }
  });

  it('stops promptly with a pending real-time delay (no 28 s linger)', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const [mock] = await startMocks([spec], { clock: systemClock, validKeys: ['k'] });
    const pending = new Promise<void>((resolve) => {
      const req = httpRequest(
        `${mock!.url}${spec.create.path}`,
        {
          method: 'POST',
          headers: { ...staticAuth(spec), 'content-type': 'application/json', 'x-mock-scenario': 'delay:60000' },
        },
        (res) => res.resume().on('end', resolve),
      );
      req.on('error', () => resolve());
      req.end(JSON.stringify(body(spec)));
    });
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await stopMocks([mock!]);
    await pending;
    expect(performance.now() - t0).toBeLessThan(5000); // a bound against hanging, not a speed claim
  });

  it('keeps tasks, the request log and scenario ids bounded, and says so on /__mock/info', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const { mock, client } = await mockOf(spec, { maxTasks: 5, requestLogLimit: 7 });
    for (let i = 0; i < 12; i++)
      await client.createTask(body(spec), { headers: { 'x-mock-scenario-id': `s${i}`, 'x-mock-scenario': 'ok' } });
    const info = (await (await request(`${mock.url}/__mock/info`)).body.json()) as {
      counts: Record<string, number>;
      limits: Record<string, number>;
    };
    expect(info.counts).toMatchObject({ tasks: 5, tasksEvicted: 7, requestLog: 7 });
    expect(info.limits).toMatchObject({ maxTasks: 5, requestLogLimit: 7 });
  });

  it(
    "answers while a test's fake timers hold the global setImmediate (answers are " + 'flushed through node:timers)',
    async () => {
      const spec = byId('evolink-kling-v3-t2v');
      const { client } = await mockOf(spec);
      vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'setInterval'] });
      try {
        // answered over a real socket, in this process, with no timer advanced
        const created = await client.createTask(body(spec));
        expect(created.status).toBe(200);
        expect(client.taskIdOf(created)).toMatch(new RegExp(`^${spec.x.responses.taskIdPrefix}`));
      } finally {
        vi.useRealTimers();
      }
    },
  );
});

describe('round two: control bodies, delays, callbacks by name, translated loopback', () => {
  it('POST /__mock/scenario and /__mock/clock with a body of null, a number or an array: 400, not 500', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const { mock } = await mockOf(spec);
    for (const path of ['/__mock/scenario', '/__mock/clock'])
      for (const text of ['null', '7', '[]', '"x"']) {
        const res = await request(`${mock.url}${path}`, {
          method: 'POST',
          body: text,
          headers: { 'content-type': 'application/json' },
        });
        await res.body.dump();
        expect(res.statusCode, `${path} ${text}`).toBe(400);
      }
  });

  it('a delay: step leaves no abort listener behind (no MaxListenersExceededWarning after many)', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const { mock, client } = await mockOf(spec, { clock: systemClock });
    for (let i = 0; i < 15; i++)
      await client.createTask(body(spec), { headers: { 'x-mock-scenario': 'delay:1', 'x-mock-scenario-id': `d${i}` } });
    expect(getEventListeners(mock.state.closing.signal, 'abort')).toHaveLength(0);
  });

  it('calls back host names: localhost, and a name the user allowed (resolved once, pinned)', async () => {
    const base = byId('aimanyi-kling-3.0-turbo');
    const spec = { ...base, x: { ...base.x, callbacks: { ...base.x.callbacks!, forbidInternal: false } } };
    const hits: string[] = [];
    const target = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const port = (target.address() as AddressInfo).port;
    try {
      const { client, mock } = await mockOf(spec, { callbackAllow: [hostname()] });
      for (const url of [`http://localhost:${port}/by-localhost`, `http://${hostname()}:${port}/by-allowed-name`]) {
        const id = client.taskIdOf(await client.createTask({ prompt: 'a cat', options: { callback_url: url } }))!;
        await client.waitForTask(id, { maxPolls: 5, intervalMs: 0 });
      }
      await Promise.all([...mock.state.pending]);
      expect(mock.state.callbacks.map((c) => [c.url.split('/').pop(), c.status, c.error])).toEqual([
        ['by-localhost', 200, undefined],
        ['by-allowed-name', 200, undefined],
      ]);
      expect(hits.sort()).toEqual(['/by-allowed-name', '/by-localhost']);
    } finally {
      target.close();
    }
  });

  it('never dials NAT64, SIIT, 6to4 or IPv4-compatible spellings of loopback as loopback', async () => {
    const base = byId('aimanyi-kling-3.0-turbo');
    const spec = { ...base, x: { ...base.x, callbacks: { ...base.x.callbacks!, forbidInternal: false } } };
    const { client, mock } = await mockOf(spec);
    const urls = ['[64:ff9b::7f00:1]', '[::ffff:0:7f00:1]', '[2002:7f00:1::]', '[::7f00:1]'].map(
      (h) => `http://${h}:9/cb`,
    );
    for (const url of urls) {
      const id = client.taskIdOf(await client.createTask({ prompt: 'a cat', options: { callback_url: url } }))!;
      await client.waitForTask(id, { maxPolls: 5, intervalMs: 0 });
    }
    await Promise.all([...mock.state.pending]);
    expect(mock.state.callbacks).toHaveLength(urls.length);
    for (const c of mock.state.callbacks) expect(c.blocked, c.url).toBeDefined();
  });
});

describe('bounded in bytes, admin paginated', () => {
  it('a task keeps at most 16 KiB of its request: a large undeclared field is dropped (and said so)', async () => {
    const spec = byId('evolink-kling-v3-t2v');
    const { mock, client } = await mockOf(spec);
    const extra = 'x'.repeat(600 * 1024);
    for (let i = 0; i < 20; i++) expect((await client.createTask({ ...body(spec), extra })).status).toBe(200);
    const kept = [...mock.state.tasks.tasks.values()].map((t) => JSON.stringify(t.request).length);
    expect(kept).toHaveLength(20);
    for (const chars of kept) expect(chars).toBeLessThanOrEqual(16 * 1024);
    const listed = (await (await request(`${mock.url}/__mock/tasks?limit=1`)).body.json()) as {
      request: Record<string, unknown>;
      droppedFields?: string[];
    }[];
    expect(listed[0]!.droppedFields).toEqual(['extra']);
    expect(listed[0]!.request.prompt).toBe(body(spec).prompt);
  });

  it('GET /__mock/tasks answers in pages (?limit, ?after, x-mock-next-after), every task once', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const { mock, client } = await mockOf(spec);
    for (let i = 0; i < 25; i++) await client.createTask(body(spec));
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await request(`${mock.url}/__mock/tasks?limit=10${after ? `&after=${after}` : ''}`);
      const page = (await res.body.json()) as { id: string }[];
      expect(page.length).toBeLessThanOrEqual(10);
      seen.push(...page.map((t) => t.id));
      after = res.headers['x-mock-next-after'] as string | undefined;
      pages += 1;
    } while (after && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    expect(seen).toEqual([...mock.state.tasks.tasks.keys()]);
  });
});
