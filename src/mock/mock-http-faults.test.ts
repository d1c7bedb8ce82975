// The mock over HTTP under what goes wrong — callbacks, idempotency and rate limits, scripted faults, hostile
// input — through both adapters of its core (mock-http.test-support.ts).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { getAt } from '../core/json-pointer.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { invalidRequestStatus } from '../spec/operations.ts';
import {
  ADAPTERS,
  authFor,
  available,
  byId,
  created,
  mockOf,
  useAdapter,
  useMockHarness,
  validBody,
} from './mock-http.test-support.ts';

useMockHarness();

describe.each(ADAPTERS)('the mock served by its %s adapter', (which) => {
  beforeAll(() => {
    useAdapter(which);
  });

  describe('callbacks', () => {
    async function receiver() {
      const received: unknown[] = [];
      const server = createServer((req, res) => {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          received.push(JSON.parse(body));
          res.end('ok');
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
        received,
        close: () => new Promise((r) => server.close(r)),
      };
    }

    it('refuses non-HTTPS or internal callback URLs where the provider documents it (seed 002)', async () => {
      const spec = byId('evolink-kling-v3-t2v');
      const { client } = await mockOf(spec);
      for (const url of ['http://example.com/hook', 'https://10.0.0.5/hook', 'https://127.0.0.1/hook']) {
        const r = await client.createTask({ ...validBody(spec), callback_url: url });
        expect(r.status, url).toBe(400);
        expect(r.text).toContain('callback_url');
      }
    });

    it('POSTs the final task to the callback URL when it ends (loopback allowed by switch)', async () => {
      const spec = byId('evolink-kling-v3-t2v');
      const hook = await receiver();
      try {
        const { client, mock } = await mockOf(spec, { allowLoopbackCallbacks: true });
        const id = client.taskIdOf(await client.createTask({ ...validBody(spec), callback_url: hook.url }))!;
        await client.waitForTask(id, { maxPolls: 5, intervalMs: 0 });
        await Promise.all([...mock.state.pending]);
        expect(hook.received).toHaveLength(1);
        expect(getAt(hook.received[0], '/status')).toBe('completed');
        expect(getAt(hook.received[0], '/id')).toBe(id);
      } finally {
        await hook.close();
      }
    });

    it("POSTs the part of the poll body documented as the callback body (Kling's task, no envelope)", async () => {
      const spec = byId('kling-official-v3');
      const pointer = spec.x.callbacks!.payloadPointer!;
      const hook = await receiver();
      try {
        const { client, mock } = await mockOf(spec, { allowLoopbackCallbacks: true });
        const created = await client.createTask({ ...validBody(spec), [spec.x.callbacks!.field!.slice(1)]: hook.url });
        const id = client.taskIdOf(created)!;
        const polls = await client.waitForTask(id, { maxPolls: 5, intervalMs: 0 });
        await Promise.all([...mock.state.pending]);
        expect(hook.received).toEqual([getAt(polls.at(-1)!.body, pointer)]);
        expect(getAt(hook.received[0], '/code')).toBeUndefined();
        expect(getAt(hook.received[0], spec.x.lifecycle.idPointer.slice(pointer.length))).toBe(id);
      } finally {
        await hook.close();
      }
    });
  });

  describe('idempotency, placeholder, rate limits', () => {
    it('does not invent create deduplication: seed 003 documents external_task_id for lookup only', async () => {
      const spec = byId('aimanyi-kling-3.0-turbo');
      const { client, mock } = await mockOf(spec);
      const body = { prompt: 'a cat', options: { external_task_id: 'order-1' } };
      const a = client.taskIdOf(await client.createTask(body));
      const b = client.taskIdOf(await client.createTask(body));
      expect(a).not.toBe(b);
      expect(mock.state.tasks.tasks.size).toBe(2);
    });

    it('returns the same task for a repeated key where a spec documents deduplication', async () => {
      const base = byId('aimanyi-kling-3.0-turbo');
      const spec = { ...base, x: { ...base.x, idempotency: { ...base.x.idempotency!, dedupe: true } } };
      const { client, mock } = await mockOf(spec);
      const body = { prompt: 'a cat', options: { external_task_id: 'order-1' } };
      expect(client.taskIdOf(await client.createTask(body))).toBe(client.taskIdOf(await client.createTask(body)));
      expect(mock.state.tasks.tasks.size).toBe(1);
    });

    it('answers the placeholder model as not available yet', async () => {
      const spec = byId('toapis-kling-v3-fast');
      const { client, mock } = await mockOf(spec);
      const r = await client.createTask(validBody(spec));
      expect(r.status).toBe(spec.x.availability.response!.status);
      expect(r.body).toEqual(spec.x.availability.response!.body);
      expect(mock.state.tasks.tasks.size).toBe(0);
    });

    it(
      'enforces the documented burst and rate with the documented headers when ' + 'enabled (ToAPIs 5/s, burst 50)',
      async () => {
        const spec = byId('toapis-kling-3.0-turbo');
        const { client, clock } = await mockOf(spec, { rateLimit: true });
        const statuses: number[] = [];
        for (let i = 0; i < 51; i++) statuses.push((await client.createTask(validBody(spec))).status!);
        expect(statuses.filter((s) => s === 200)).toHaveLength(50);
        const limited = await client.createTask(validBody(spec));
        expect(limited.status).toBe(429);
        expect(limited.headers['retry-after']).toBe('1');
        expect(limited.headers['x-ratelimit-limit']).toBe('300');
        expect(limited.headers['x-ratelimit-remaining']).toBe('0');
        clock.advance(1000);
        expect((await client.createTask(validBody(spec))).status).toBe(200);
      },
    );
  });

  describe('fault scenarios', () => {
    const spec = () => byId('toapis-kling-3.0-turbo');

    it(
      'replays a header-scripted sequence per scenario id: 429 with Retry-After, then ' + 'a burst of 500s, then ok',
      async () => {
        const { client } = await mockOf(spec());
        const headers = { 'x-mock-scenario': '429:3,500,500,ok', 'x-mock-scenario-id': 's1' };
        const seen = [];
        for (let i = 0; i < 5; i++) seen.push(await client.createTask(validBody(spec()), { headers }));
        expect(seen.map((r) => r.status)).toEqual([429, 500, 500, 200, 200]);
        expect(seen[0]!.headers['retry-after']).toBe('3');
        expect(compileValidators(spec()).response('create', 500)!(seen[1]!.body).errors).toEqual([]);
      },
    );

    it('answers a malformed scenario header with a plain 400 that says which steps exist', async () => {
      const { client } = await mockOf(spec());
      const r = await client.createTask(validBody(spec()), { headers: { 'x-mock-scenario': '429,teapot' } });
      expect(r.status).toBe(400);
      expect((r.body as { mock_error: string }).mock_error).toContain('unknown scenario step "teapot"');
    });

    it('commit-500 creates the task and still answers 500 (the trap for non-idempotent retries)', async () => {
      const { client, mock } = await mockOf(spec());
      mock.state.scenarios.enqueue('commit-500');
      const r = await client.createTask(validBody(spec()));
      expect(r.status).toBe(500);
      expect(mock.state.tasks.tasks.size).toBe(1);
    });

    it('adds latency on the virtual clock, so nothing sleeps', async () => {
      const { client, mock, clock } = await mockOf(spec());
      mock.state.scenarios.enqueue('delay:30000');
      let done = false;
      const pending = client.createTask(validBody(spec())).then((r) => ((done = true), r));
      await new Promise((r) => setTimeout(r, 50));
      expect(done).toBe(false);
      clock.advance(30_000);
      expect((await pending).status).toBe(200);
    });

    it('sends malformed JSON and resets connections on request', async () => {
      const { client, mock } = await mockOf(spec());
      mock.state.scenarios.enqueue('malformed,reset');
      const malformed = await client.createTask(validBody(spec()));
      expect(malformed.status).toBe(200);
      expect(malformed.body).toBeUndefined();
      expect(() => JSON.parse(malformed.text!)).toThrow();
      const reset = await client.createTask(validBody(spec()));
      expect(reset.error?.code).toMatch(/UND_ERR_SOCKET|ECONNRESET/);
      expect((await client.createTask(validBody(spec()))).status).toBe(200);
    });

    it('makes tasks fail, fail on content policy, or never finish', async () => {
      const { client, mock } = await mockOf(spec());
      mock.state.scenarios.enqueue('fail,policy,never');
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push(client.taskIdOf(await client.createTask(validBody(spec())))!);
      const last = async (id: string) => (await client.waitForTask(id, { maxPolls: 8, intervalMs: 0 })).at(-1)!;
      const failed = await last(ids[0]!);
      expect(client.statusOf(failed, 'poll')).toBe('failed');
      expect(compileValidators(spec()).pollStatus('failed')!(failed.body).errors).toEqual([]);
      expect(getAt(await last(ids[1]!).then((e) => e.body), '/error/message')).toContain('content policy');
      expect(client.statusOf(await last(ids[2]!), 'poll')).toBe('in_progress');
    });
  });

  describe('robust input handling: the documented 400 shape, never a crash', () => {
    it.each([
      ['wrong content type', { 'content-type': 'text/plain' }, Buffer.from('{"prompt":"x"}'), 'invalid'],
      ['invalid JSON', { 'content-type': 'application/json' }, Buffer.from('{"prompt":'), 'invalid'],
      [
        'invalid UTF-8',
        { 'content-type': 'application/json' },
        Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
        'invalid',
      ],
      ['a JSON array', { 'content-type': 'application/json' }, Buffer.from('[1,2]'), 'invalid'],
      ['an oversized body', { 'content-type': 'application/json' }, Buffer.alloc(2 * 1024 * 1024, 0x20), 413],
    ] as const)('%s', async (_, headers, body, expected) => {
      for (const spec of available()) {
        const { mock } = await mockOf(spec);
        // a body the schema cannot even read gets the provider's invalid-request status (400, fal's 422)
        const status = expected === 'invalid' ? invalidRequestStatus(spec) : expected;
        const res = await request(`${mock.url}${spec.create.path}`, {
          method: 'POST',
          headers: { ...(await authFor(spec)), ...headers },
          body,
        });
        const json = (await res.body.json()) as unknown;
        expect(res.statusCode, spec.id).toBe(status);
        if (expected === 'invalid')
          expect(compileValidators(spec).response('create', status)!(json).errors, spec.id).toEqual([]);
        const after = await request(`${mock.url}${spec.create.path}`, {
          method: 'POST',
          headers: { ...(await authFor(spec)), 'content-type': 'application/json' },
          body: JSON.stringify(validBody(spec)),
        });
        expect(after.statusCode, 'still serving').toBe(created(spec));
        await after.body.dump();
      }
    });
  });
});
