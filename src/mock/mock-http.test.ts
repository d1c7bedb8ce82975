import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../core/clock.ts';
import { getAt, setAt } from '../core/json-pointer.ts';
import { GatewayClient } from '../client/gateway-client.ts';
import { probeMp4 } from '../client/probe-video.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { startMocks, stopMocks, type RunningMock } from './start-mocks.ts';
import type { MockOptions } from './options.ts';
import { MOCK_DEFAULT_CREDENTIAL } from './check-auth.ts';
import { authHeader } from '../client/auth-header.ts';
import { invalidRequestStatus, isSuccess, successStatuses } from '../spec/operations.ts';
import { expectedAuthAnswer } from '../spec/auth.ts';

/** The auth header a client holding the mock's default credential sends, as the spec's scheme says. */
const authFor = (spec: ProviderSpec) =>
  authHeader(spec, { key: MOCK_DEFAULT_CREDENTIAL.accessKey, secret: MOCK_DEFAULT_CREDENTIAL.secretKey });
const created = (spec: ProviderSpec) => successStatuses(spec, 'create')[0]!;

let specs: ProviderSpec[];
const running: RunningMock[] = [];
beforeAll(async () => {
  specs = await loadAllSpecs();
});
afterEach(async () => {
  await stopMocks(running.splice(0));
});

// the mock core behind both of its adapters: the node:http route table and msw's handlers — the same suite
const ADAPTERS = ['routes', 'msw'] as const;
let adapter: (typeof ADAPTERS)[number] = 'routes';

async function mockOf(spec: ProviderSpec, options: MockOptions = {}) {
  const clock = new VirtualClock(Date.UTC(2026, 10, 24));
  const [mock] = await startMocks([spec], { clock, ...options }, { adapter });
  running.push(mock!);
  const client = new GatewayClient(spec, {
    baseUrl: mock!.url,
    apiKey: MOCK_DEFAULT_CREDENTIAL.accessKey,
    secretKey: MOCK_DEFAULT_CREDENTIAL.secretKey,
    clock: new VirtualClock(0, { autoAdvance: true }),
    retry: false,
  });
  return { mock: mock!, client, clock };
}

/** A body the provider documents as valid: its first example. */
const validBody = (spec: ProviderSpec) => structuredClone(spec.create.examples[0]!.value) as Record<string, unknown>;
const available = () => specs.filter((s) => s.x.availability.state === 'available');
const each = (fn: (spec: ProviderSpec) => Promise<void>) => async () => {
  for (const spec of available()) await fn(spec);
};

describe.each(ADAPTERS)('the mock served by its %s adapter', (which) => {
  beforeAll(() => {
    adapter = which;
  });

  describe('auth', () => {
    it('answers a missing or malformed auth header with the documented answer and body, for every provider', async () => {
      for (const spec of specs) {
        const { client } = await mockOf(spec);
        for (const [condition, headers] of [
          ['missing', {}],
          ['malformed', { [spec.x.auth.header]: 'Token a b' }],
        ] as const) {
          const r = await client.createTask(validBody(spec), { apiKey: null, headers });
          const expected = expectedAuthAnswer(spec, condition);
          expect(r.status, `${spec.id} ${condition}`).toBe(expected.status);
          if (!spec.x.errors[String(expected.status)]?.documentedOnly)
            expect(compileValidators(spec).response('create', expected.status)!(r.body).errors, spec.id).toEqual([]);
          if (expected.code !== undefined) expect(JSON.stringify(r.body), spec.id).toContain(String(expected.code));
        }
      }
    });

    it('rejects keys outside a configured list of valid keys', async () => {
      const spec = specs.find((s) => s.id === 'evolink-kling-v3-t2v')!;
      const { client } = await mockOf(spec, { validKeys: ['good-key'] });
      expect((await client.createTask(validBody(spec), { apiKey: 'bad-key' })).status).toBe(401);
      expect((await client.createTask(validBody(spec), { apiKey: 'good-key' })).status).toBe(200);
    });
  });

  describe('validation', () => {
    it(
      'rejects an invalid body with the documented 400 body naming the field, for every provider',
      each(async (spec) => {
        const { client, mock } = await mockOf(spec);
        const body = validBody(spec);
        setAt(body, spec.x.settings.aspect_ratio.field, '4:3');
        const r = await client.createTask(body);
        expect(r.status, spec.id).toBe(invalidRequestStatus(spec));
        expect(compileValidators(spec).response('create', invalidRequestStatus(spec))!(r.body).errors).toEqual([]);
        expect(r.text).toContain(spec.x.settings.aspect_ratio.field.slice(1).replace(/\//g, '.'));
        expect(mock.state.tasks.tasks.size, 'no task created').toBe(0);
      }),
    );

    it('rejects a first_frame contents item in text-to-video (seed 003)', async () => {
      const spec = specs.find((s) => s.id === 'aimanyi-kling-3.0-turbo')!;
      const { client } = await mockOf(spec);
      const r = await client.createTask({ contents: [{ type: 'first_frame', text: 'a cat' }] });
      expect(r.status).toBe(400);
      expect(getAt(r.body, '/message')).toContain('contents.0.type');
      const missing = await client.createTask({ settings: { duration: 5 } });
      expect(getAt(missing.body, '/message')).toBe('prompt is required');
    });

    it('converts full-width ，；： to half-width in the prompt (seed 003) and lets the top-level prompt win over contents', async () => {
      const spec = specs.find((s) => s.id === 'aimanyi-kling-3.0-turbo')!;
      const { client, mock } = await mockOf(spec);
      await client.createTask({ prompt: '猫，狗；鸟：鱼', contents: [{ type: 'prompt', text: 'ignored' }] });
      const task = [...mock.state.tasks.tasks.values()][0]!;
      expect(task.request.prompt).toBe('猫,狗;鸟:鱼');
      expect(task.request.contents).toBeUndefined();
    });
  });

  describe('defaults', () => {
    it(
      'fills omitted settings with the documented defaults (the claim marked for the mock)',
      each(async (spec) => {
        const { client, mock } = await mockOf(spec);
        const body = validBody(spec);
        const names = ['duration', 'resolution', 'aspect_ratio'].filter((n) => spec.x.settings[n]);
        for (const name of names) {
          const field = spec.x.settings[name]!.field.split('/').slice(1);
          let node = body as Record<string, unknown>;
          for (const p of field.slice(0, -1)) node = (node?.[p] ?? {}) as Record<string, unknown>;
          delete node[field.at(-1)!];
        }
        expect((await client.createTask(body)).status).toBe(created(spec));
        const task = [...mock.state.tasks.tasks.values()][0]!;
        for (const name of names) {
          const claims = spec.x.settings[name]!.default;
          expect(task.settings.values[name], `${spec.id} ${name}`).toEqual(
            (claims.find((c) => c.mock) ?? claims[0]!).value,
          );
        }
      }),
    );

    it("switches validation to the other claims with schemaClaims: 'other' (ToAPIs table: model gemini-omni-flash, 6|10 s)", async () => {
      const spec = specs.find((s) => s.id === 'toapis-kling-3.0-turbo')!;
      const { client } = await mockOf(spec, { schemaClaims: 'other' });
      expect((await client.createTask({ model: 'kling-3.0-turbo', prompt: 'a cat' })).status).toBe(400);
      expect((await client.createTask({ model: 'gemini-omni-flash', prompt: 'a cat', duration: 5 })).status).toBe(400);
      expect((await client.createTask({ model: 'gemini-omni-flash', prompt: 'a cat', duration: 10 })).status).toBe(200);
    });

    it("switches to the other documented claim with claims: 'other' (ToAPIs duration 5 -> 6)", async () => {
      const spec = specs.find((s) => s.id === 'toapis-kling-3.0-turbo')!;
      const { client, mock } = await mockOf(spec, { claims: 'other' });
      const r = await client.createTask({ model: 'kling-3.0-turbo', prompt: 'a cat' });
      expect(r.status).toBe(200);
      expect([...mock.state.tasks.tasks.values()][0]!.settings.durationSeconds).toBe(6);
    });
  });

  describe('task lifecycle, results and expiry', () => {
    it(
      'moves through the documented statuses, each poll matching its status schema, and serves a real MP4 of the resolved size',
      each(async (spec) => {
        const { client, mock } = await mockOf(spec);
        const answer = await client.createTask(validBody(spec));
        expect(answer.status, spec.id).toBe(created(spec));
        expect(compileValidators(spec).response('create', created(spec))!(answer.body).errors, spec.id).toEqual([]);
        const id = client.taskIdOf(answer)!;
        const polls = await client.waitForTask(id, { maxPolls: 10, intervalMs: 0 });
        const lc = spec.x.lifecycle;
        expect(
          polls.map((p) => client.statusOf(p, 'poll')),
          spec.id,
        ).toEqual([lc.initial, lc.running, lc.succeeded]);
        for (const poll of polls) {
          const status = client.statusOf(poll, 'poll')!;
          expect(compileValidators(spec).pollStatus(status)!(poll.body).errors, `${spec.id} ${status}`).toEqual([]);
        }
        // the result URL is in the last poll, or in a separate result operation's answer (fal)
        const carrier = await client.resultExchange(id, polls.at(-1)!);
        expect(isSuccess(spec, spec.x.lifecycle.resultFrom ?? 'poll', carrier.status), spec.id).toBe(true);
        const video = await client.download(getAt(carrier.body, lc.resultUrlPointer) as string);
        const task = [...mock.state.tasks.tasks.values()][0]!;
        const probe = probeMp4(video.bytes!);
        expect(probe.durationSeconds).toBe(task.settings.durationSeconds);
        // where no document states the output size, there is no size to check
        if (task.settings.width)
          expect(probe).toEqual({
            durationSeconds: task.settings.durationSeconds,
            width: task.settings.width,
            height: task.settings.height,
          });
      }),
    );

    it(
      'answers an unknown task id with the documented 404 body',
      each(async (spec) => {
        const { client } = await mockOf(spec);
        const r = await client.getTask(`${spec.x.responses.taskIdPrefix}doesnotexist`);
        expect(r.status).toBe(404);
        if (!spec.x.errors['404']?.documentedOnly)
          expect(compileValidators(spec).response('poll', 404)!(r.body).errors, spec.id).toEqual([]);
      }),
    );

    it(
      'expires result links after the documented lifetime, in virtual time',
      each(async (spec) => {
        const { client, clock } = await mockOf(spec);
        const id = client.taskIdOf(await client.createTask(validBody(spec)))!;
        const done = await client.resultExchange(
          id,
          (await client.waitForTask(id, { maxPolls: 5, intervalMs: 0 })).at(-1)!,
        );
        const url = getAt(done.body, spec.x.lifecycle.resultUrlPointer) as string;
        const lifetime = (
          spec.x.resultLink.lifetimeSeconds.find((c) => c.mock) ?? spec.x.resultLink.lifetimeSeconds[0]!
        ).value;
        clock.advance(lifetime * 1000 - 1000);
        expect((await client.download(url)).status).toBe(200);
        clock.advance(1000);
        expect((await client.download(url)).status).toBe(spec.x.resultLink.expired.status);
      }),
    );

    it('can end tasks after virtual time instead of after N polls', async () => {
      const spec = specs.find((s) => s.id === 'evolink-kling-v3-t2v')!;
      const { client, clock } = await mockOf(spec, { completeAfterMs: 60_000 });
      const id = client.taskIdOf(await client.createTask(validBody(spec)))!;
      expect(client.statusOf(await client.getTask(id), 'poll')).toBe('pending');
      clock.advance(30_000);
      expect(client.statusOf(await client.getTask(id), 'poll')).toBe('processing');
      clock.advance(30_000);
      expect(client.statusOf(await client.getTask(id), 'poll')).toBe('completed');
    });
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
      const spec = specs.find((s) => s.id === 'evolink-kling-v3-t2v')!;
      const { client } = await mockOf(spec);
      for (const url of ['http://example.com/hook', 'https://10.0.0.5/hook', 'https://127.0.0.1/hook']) {
        const r = await client.createTask({ ...validBody(spec), callback_url: url });
        expect(r.status, url).toBe(400);
        expect(r.text).toContain('callback_url');
      }
    });

    it('POSTs the final task to the callback URL when it ends (loopback allowed by switch)', async () => {
      const spec = specs.find((s) => s.id === 'evolink-kling-v3-t2v')!;
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
  });

  describe('idempotency, placeholder, rate limits', () => {
    it('does not invent create deduplication: seed 003 documents external_task_id for lookup only', async () => {
      const spec = specs.find((s) => s.id === 'aimanyi-kling-3.0-turbo')!;
      const { client, mock } = await mockOf(spec);
      const body = { prompt: 'a cat', options: { external_task_id: 'order-1' } };
      const a = client.taskIdOf(await client.createTask(body));
      const b = client.taskIdOf(await client.createTask(body));
      expect(a).not.toBe(b);
      expect(mock.state.tasks.tasks.size).toBe(2);
    });

    it('returns the same task for a repeated key where a spec documents deduplication', async () => {
      const base = specs.find((s) => s.id === 'aimanyi-kling-3.0-turbo')!;
      const spec = { ...base, x: { ...base.x, idempotency: { ...base.x.idempotency!, dedupe: true } } };
      const { client, mock } = await mockOf(spec);
      const body = { prompt: 'a cat', options: { external_task_id: 'order-1' } };
      expect(client.taskIdOf(await client.createTask(body))).toBe(client.taskIdOf(await client.createTask(body)));
      expect(mock.state.tasks.tasks.size).toBe(1);
    });

    it('answers the placeholder model as not available yet', async () => {
      const spec = specs.find((s) => s.id === 'toapis-kling-v3-fast')!;
      const { client, mock } = await mockOf(spec);
      const r = await client.createTask(validBody(spec));
      expect(r.status).toBe(spec.x.availability.response!.status);
      expect(r.body).toEqual(spec.x.availability.response!.body);
      expect(mock.state.tasks.tasks.size).toBe(0);
    });

    it('enforces the documented burst and rate with the documented headers when enabled (ToAPIs 5/s, burst 50)', async () => {
      const spec = specs.find((s) => s.id === 'toapis-kling-3.0-turbo')!;
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
    });
  });

  describe('fault scenarios', () => {
    const spec = () => specs.find((s) => s.id === 'toapis-kling-3.0-turbo')!;

    it('replays a header-scripted sequence per scenario id: 429 with Retry-After, then a burst of 500s, then ok', async () => {
      const { client } = await mockOf(spec());
      const headers = { 'x-mock-scenario': '429:3,500,500,ok', 'x-mock-scenario-id': 's1' };
      const seen = [];
      for (let i = 0; i < 5; i++) seen.push(await client.createTask(validBody(spec()), { headers }));
      expect(seen.map((r) => r.status)).toEqual([429, 500, 500, 200, 200]);
      expect(seen[0]!.headers['retry-after']).toBe('3');
      expect(compileValidators(spec()).response('create', 500)!(seen[1]!.body).errors).toEqual([]);
    });

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
