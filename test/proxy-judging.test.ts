// What the validating proxy judges besides success bodies: a gateway that refuses creates its documents accept is
// drift (or follows another documented claim), error answers against the documented error table, a 404/405 on a
// documented route, refused keys counted but not judged, a session that judged nothing "could not be judged" (never
// "no drift"), creates answered 5xx that may have made a task, and the proxy's own 400 worded as the mock's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import type { Har } from '../src/har/har-types.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';
import { observedDrift, unjudgedByNoise } from '../src/drift/observed-drift.ts';
import { proxyResults } from '../src/proxy/proxy-results.ts';
import type { RunningProxy } from '../src/proxy/proxy-server.ts';
import { exitCodeOf, type RunResults } from '../src/report/build-results.ts';
import { writeReport } from '../src/report/write-report.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { runCli } from './run-cli.ts';
import { recordingProxy } from './support/held-gateway.ts';
import { scriptedGateway } from './support/scripted-gateway.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-proxy-judging-4c3b2a';
const WRONG_KEY = 'kc-invalid-key-proxy';
let evolink: ProviderSpec;
let toapis: ProviderSpec;
let evolinkMock: RunningMock;
let otherClaims: RunningMock;

beforeAll(async () => {
  [evolink, toapis] = await Promise.all([loadSpecById('evolink-kling-v3-t2v'), loadSpecById('toapis-kling-3.0-turbo')]);
  [evolinkMock] = (await startMocks([evolink], { completeAfterPolls: 1 })) as [RunningMock];
  // a gateway that follows the other documented claims (ToAPIs' seed page: model gemini-omni-flash, duration 6|10)
  [otherClaims] = (await startMocks([toapis], { claims: 'other', schemaClaims: 'other' })) as [RunningMock];
});
afterAll(async () => {
  await stopMocks([evolinkMock, otherClaims]);
});

const send = (url: string, path: string, init: { body?: unknown; key?: string; scenario?: string } = {}) =>
  request(`${url}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${init.key ?? KEY}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.scenario ? { 'x-mock-scenario': init.scenario } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

/** Sends, and reads the answer whole (the proxy records an exchange once its answer is written). */
async function exchange(url: string, path: string, init: Parameters<typeof send>[2] = {}) {
  const res = await send(url, path, init);
  return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
}

/** Closes the proxy and writes its session's reports, as `proxy` does on Ctrl-C. */
async function finish(spec: ProviderSpec, proxy: RunningProxy, upstream: string) {
  await proxy.close();
  const dir = tempFolder('kc-proxy-judging-');
  const results = proxyResults(spec, proxy, upstream, new Date().toISOString());
  writeReport(dir, results);
  return { dir, results, summary: readFileSync(join(dir, 'summary.md'), 'utf8') };
}

const result = (r: RunResults, id: string): CheckResult | undefined => r.results.find((x) => x.id === id);
const facts = (r: RunResults, spec: ProviderSpec) => observedDrift([r], new Map([[spec.id, spec]])).map((i) => i.fact);

describe('proxy: error answers are judged, never read as a pass', () => {
  it('a gateway refusing creates its documents accept is drift: drift --results exits 1, not "No drift"', async () => {
    const { proxy } = await recordingProxy(toapis, otherClaims.url);
    const path = '/v1/videos/generations';
    // valid by the claims the spec chose (model kling-3.0-turbo, duration 3-15): forwarded, refused by the gateway
    const refused = await exchange(proxy.url, path, {
      body: { model: 'kling-3.0-turbo', prompt: 'a fox', duration: 5 },
    });
    expect(refused.status).toBe(400);
    expect(refused.headers['x-kc-proxy']).toBeUndefined();
    // a key the gateway refuses, and an unknown task
    expect(
      (
        await exchange(proxy.url, path, {
          body: { model: 'kling-3.0-turbo', prompt: 'a', duration: 5 },
          key: WRONG_KEY,
        })
      ).status,
    ).toBe(401);
    expect((await exchange(proxy.url, `${path}/nope`)).status).toBe(404);
    const { dir, results, summary } = await finish(toapis, proxy, otherClaims.url);

    const valid = result(results, 'boundary.valid')!;
    // the refusal follows another documented claim: drift, named with the body's key facts and the gateway's words
    expect(valid.status).toBe('warn');
    const [finding] = valid.findings!;
    expect(finding).toMatchObject({
      kind: 'claim-followed',
      observed: { status: 400, body: { model: 'kling-3.0-turbo', duration: 5 } },
    });
    expect(finding!.message).toMatch(/^HAR entry 0 .*refused 400, as .*const\.model = .*gemini-omni-flash/);
    expect(finding!.message).toMatch(/range\.duration = .*the gateway said .*must be/);
    // the error bodies against the documented error table: the codes follow the other documented claims
    expect(result(results, 'shape.error.400')?.findings?.[0]).toMatchObject({
      kind: 'claim-followed',
      observed: 'invalid_request_error',
    });
    expect(result(results, 'shape.error.404')?.findings?.[0]).toMatchObject({
      kind: 'claim-followed',
      observed: 'task_not_found',
    });
    // the 401: counted and named, judged neither way
    const key = result(results, 'proxy.key_refused')!;
    expect(key.status).toBe('skip');
    expect(key.message).toMatch(/cannot tell a key the gateway wrongly refuses from a wrong key/);
    expect(key.findings?.[0]?.message).toMatch(
      /^HAR entry 1 .*answered 401 to the create POST \/v1\/videos\/generations$/,
    );
    expect(result(results, 'shape.error.401')).toBeUndefined();
    expect(summary).not.toContain('Every check that ran passed');

    const drift = await runCli(['drift', '--results', join(dir, 'results.json'), '--format', 'json']);
    expect(drift.code, drift.stderr).toBe(1);
    const items = (JSON.parse(drift.stdout) as { items: { fact: string; requestIds: string[] }[] }).items;
    expect(items.map((i) => i.fact).sort()).toEqual(['claim.boundary.valid', 'error.400.code', 'error.404.code']);
    expect(items.find((i) => i.fact === 'claim.boundary.valid')?.requestIds[0]).toMatch(/^HAR entry 0 /);
  }, 120_000);

  it('an unexplained refusal fails; a 405 on a documented route and an undocumented code are drift', async () => {
    const gateway = await scriptedGateway((method) =>
      method === 'POST'
        ? { status: 400, json: { error: { code: 'bad_thing', message: 'nope, not this model' } } }
        : { status: 405, text: 'Method Not Allowed', type: 'text/plain' },
    );
    try {
      const { proxy } = await recordingProxy(evolink, gateway.url);
      const body = { model: 'kling-v3-text-to-video', prompt: 'a cat', duration: 5 };
      expect((await exchange(proxy.url, '/v1/videos/generations', { body })).status).toBe(400);
      expect((await exchange(proxy.url, '/v1/tasks/task-1')).status).toBe(405);
      const { results } = await finish(evolink, proxy, gateway.url);
      const valid = result(results, 'boundary.valid')!;
      expect(valid.status).toBe('fail');
      expect(valid.findings?.[0]).toMatchObject({ kind: 'status', observed: 400, expected: 'accepted' });
      expect(valid.findings?.[0]?.message).toMatch(
        new RegExp(
          '\\{"duration":5,"model":"kling-v3-text-to-video"\\}\\) was refused 400: the gateway rejects what its ' +
            'documents accept; it said "nope, not this model"',
        ),
      );
      expect(valid.findings?.[0]?.message).not.toContain('a cat');
      const poll = result(results, 'answers.poll')!;
      expect(poll.status).toBe('fail');
      expect(poll.findings?.[0]?.message).toMatch(
        /answered 405 to GET \/v1\/tasks\/task-1, the documented poll route: .*is not evolink-kling-v3-t2v/,
      );
      expect(result(results, 'shape.error.400')?.findings?.[0]).toMatchObject({
        kind: 'error-code',
        observed: 'bad_thing',
      });
      expect(facts(results, evolink).sort()).toEqual([
        'error.400.code',
        'status.answers.poll',
        'status.boundary.valid',
      ]);
      expect(exitCodeOf(results)).toBe(1);
    } finally {
      gateway.close();
    }
  }, 60_000);

  it('the documented errors a client meets (429, 500) are judged on body and code: pass when documented', async () => {
    const { proxy } = await recordingProxy(evolink, evolinkMock.url);
    const body = { model: 'kling-v3-text-to-video', prompt: 'a cat' };
    expect((await exchange(proxy.url, '/v1/videos/generations', { body, scenario: '429' })).status).toBe(429);
    expect((await exchange(proxy.url, '/v1/videos/generations', { body, scenario: '500' })).status).toBe(500);
    const { results } = await finish(evolink, proxy, evolinkMock.url);
    expect(result(results, 'shape.error.429')).toMatchObject({ status: 'pass', observed: { answers: 1 } });
    expect(result(results, 'shape.error.500')).toMatchObject({ status: 'pass', observed: { answers: 1 } });
    expect(result(results, 'answers.create')).toMatchObject({ status: 'pass', observed: { answers: 2 } });
  }, 60_000);

  it('a session that judged nothing (only refused keys) could not be judged: drift --results exits 2', async () => {
    const { proxy } = await recordingProxy(evolink, evolinkMock.url);
    const body = { model: 'kling-v3-text-to-video', prompt: 'a cat' };
    expect((await exchange(proxy.url, '/v1/videos/generations', { body, key: WRONG_KEY })).status).toBe(401);
    const { dir, results, summary } = await finish(evolink, proxy, evolinkMock.url);
    expect(results.results.map((r) => [r.id, r.status])).toEqual([
      ['proxy.judged', 'error'],
      ['proxy.key_refused', 'skip'],
    ]);
    expect(unjudgedByNoise([results]).map((u) => u.check)).toEqual(['proxy.judged']);
    expect(summary).toMatch(
      /nothing this session saw could be judged \(1 request\(s\) forwarded, 0 invalid .*, 1 answered 401\/403/,
    );
    const drift = await runCli(['drift', '--results', join(dir, 'results.json')]);
    expect(drift.code, drift.stderr).toBe(2);
    expect(drift.stdout).toMatch(/## Could not be judged: no evidence \(1; not drift\)/);
    expect(drift.stdout).not.toMatch(/No drift found/);
  }, 120_000);
});

describe('proxy: creates answered 5xx may have made a task', () => {
  it('counts the tasks it saw created as "at least", naming the create answered 500 and the documents', async () => {
    const { proxy } = await recordingProxy(evolink, evolinkMock.url);
    const body = { model: 'kling-v3-text-to-video', prompt: 'a cat' };
    for (const scenario of [undefined, 'commit-500', undefined])
      await exchange(proxy.url, '/v1/videos/generations', { body, scenario });
    const { results, summary, dir } = await finish(evolink, proxy, evolinkMock.url);
    expect(results.summary.billableTasks.created).toBe(2);
    expect(results.run.subject).toMatchObject({ kind: 'proxy', mayHaveCreated: { creates: 1 } });
    const line =
      'Billable tasks this run created: at least 2; 1 create answered 500 may have made a task (the documents do not ' +
      'say whether a create answered 5xx made its task; their advice for a 500 is to retry (';
    expect(summary).toContain(line);
    expect(summary).toMatch(/no documented key deduplicates a create sent again\)\./);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('at least 2; 1 create answered 500 may have made');
  }, 60_000);
});

describe("proxy: its own 400 is the mock's, and its record says it never reached the gateway", () => {
  it('answers an invalid create with the status, envelope and message the mock answers it with', async () => {
    const { proxy, entries } = await recordingProxy(evolink, evolinkMock.url);
    const invalid = { model: 'kling-v3-text-to-video', prompt: 'a cat', duration: 99 };
    const local = await exchange(proxy.url, '/v1/videos/generations', { body: invalid });
    const mock = await exchange(evolinkMock.url, '/v1/videos/generations', { body: invalid });
    expect(local.headers['x-kc-proxy']).toMatch(/not forwarded/);
    expect(local.status).toBe(mock.status);
    const error = (text: string) => (JSON.parse(text) as { error: Record<string, unknown> }).error;
    expect(error(local.text)).toEqual(error(mock.text));
    expect(error(local.text).message).toBe('duration: must be <= 15 (got 99)');
    // a body that is not JSON: the mock's words too
    const broken = await request(`${proxy.url}/v1/videos/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect(error(await broken.body.text()).message).toMatch(/^request body is not valid JSON: /);
    await proxy.close();
    const recorded = entries() as Har['log']['entries'];
    expect(recorded.map((e) => e.request.url)).toEqual([
      `${proxy.url}/v1/videos/generations`,
      `${proxy.url}/v1/videos/generations`,
    ]);
    expect(recorded.every((e) => !e.request.url.startsWith(evolinkMock.url))).toBe(true);
  }, 60_000);
});
