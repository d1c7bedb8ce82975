import { beforeAll, describe, expect, it } from 'vitest';
import { getAt, setAt } from '../core/json-pointer.ts';
import { probeMp4 } from '../client/probe-video.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { invalidRequestStatus, isSuccess } from '../spec/operations.ts';
import { expectedAuthAnswer } from '../spec/auth.ts';
import {
  ADAPTERS,
  allSpecs,
  byId,
  created,
  each,
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

  describe('auth', () => {
    it(
      'answers a missing or malformed auth header with the documented answer and ' + 'body, for every provider',
      async () => {
        for (const spec of allSpecs()) {
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
      },
    );

    it('rejects keys outside a configured list of valid keys', async () => {
      const spec = byId('evolink-kling-v3-t2v');
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
      const spec = byId('aimanyi-kling-3.0-turbo');
      const { client } = await mockOf(spec);
      const r = await client.createTask({ contents: [{ type: 'first_frame', text: 'a cat' }] });
      expect(r.status).toBe(400);
      expect(getAt(r.body, '/message')).toContain('contents.0.type');
      const missing = await client.createTask({ settings: { duration: 5 } });
      expect(getAt(missing.body, '/message')).toBe('prompt is required');
    });

    it(
      'converts full-width ，；： to half-width in the prompt (seed 003) and lets the ' +
        'top-level prompt win over contents',
      async () => {
        const spec = byId('aimanyi-kling-3.0-turbo');
        const { client, mock } = await mockOf(spec);
        await client.createTask({ prompt: '猫，狗；鸟：鱼', contents: [{ type: 'prompt', text: 'ignored' }] });
        const task = [...mock.state.tasks.tasks.values()][0]!;
        expect(task.request.prompt).toBe('猫,狗;鸟:鱼');
        expect(task.request.contents).toBeUndefined();
      },
    );
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

    it(
      "switches validation to the other claims with schemaClaims: 'other' (ToAPIs " +
        'table: model gemini-omni-flash, 6|10 s)',
      async () => {
        const spec = byId('toapis-kling-3.0-turbo');
        const { client } = await mockOf(spec, { schemaClaims: 'other' });
        expect((await client.createTask({ model: 'kling-3.0-turbo', prompt: 'a cat' })).status).toBe(400);
        expect((await client.createTask({ model: 'gemini-omni-flash', prompt: 'a cat', duration: 5 })).status).toBe(
          400,
        );
        expect((await client.createTask({ model: 'gemini-omni-flash', prompt: 'a cat', duration: 10 })).status).toBe(
          200,
        );
      },
    );

    it("switches to the other documented claim with claims: 'other' (ToAPIs duration 5 -> 6)", async () => {
      const spec = byId('toapis-kling-3.0-turbo');
      const { client, mock } = await mockOf(spec, { claims: 'other' });
      const r = await client.createTask({ model: 'kling-3.0-turbo', prompt: 'a cat' });
      expect(r.status).toBe(200);
      expect([...mock.state.tasks.tasks.values()][0]!.settings.durationSeconds).toBe(6);
    });
  });

  describe('task lifecycle, results and expiry', () => {
    it(
      'moves through the documented statuses, each poll matching its status schema, ' +
        'and serves a real MP4 of the resolved size',
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
      const spec = byId('evolink-kling-v3-t2v');
      const { client, clock } = await mockOf(spec, { completeAfterMs: 60_000 });
      const id = client.taskIdOf(await client.createTask(validBody(spec)))!;
      expect(client.statusOf(await client.getTask(id), 'poll')).toBe('pending');
      clock.advance(30_000);
      expect(client.statusOf(await client.getTask(id), 'poll')).toBe('processing');
      clock.advance(30_000);
      expect(client.statusOf(await client.getTask(id), 'poll')).toBe('completed');
    });
  });
});
