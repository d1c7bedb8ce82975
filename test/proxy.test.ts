// The validating proxy in front of a loopback gateway that drifts once: the drift becomes a finding drift reads,
// an invalid body never reaches the gateway, the record holds no key in any encoding.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedForms } from '../src/core/redact.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';
import { proxyResults } from '../src/proxy/proxy-results.ts';
import { startProxy } from '../src/proxy/proxy-server.ts';
import { writeReport } from '../src/report/write-report.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { runCli } from './run-cli.ts';
import { driftingGateway } from './support/drifting-gateway.ts';
import { echoPrompts } from './support/echo-prompts.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-proxy-secret-9d8e7f';
let spec: ProviderSpec;
let mock: RunningMock;
let gateway: { url: string; seen: string[]; close(): void };

beforeAll(async () => {
  spec = await loadSpecById('evolink-kling-v3-t2v');
  [mock] = (await startMocks([spec], { completeAfterPolls: 1 })) as [RunningMock];
  gateway = await driftingGateway(mock.url);
});
afterAll(async () => {
  gateway.close();
  await stopMocks([mock]);
});

describe('proxy', () => {
  it('refuses an upstream that is not the documented server unless it is allowed', async () => {
    // EvoLink's documents print no base URL (its spec's server is a `.example` placeholder): none allowed by default
    await expect(startProxy({ spec, upstream: gateway.url })).rejects.toThrow(
      /is not allowed: evolink-kling-v3-t2v's documents print no server/,
    );
    await expect(startProxy({ spec, upstream: 'https://gateway.example' })).rejects.toThrow(/print no server/);
    // fal's documents print one (queue.fal.run): any other host is named against it
    const fal = await loadSpecById('fal-kling-v3-standard-t2v');
    await expect(startProxy({ spec: fal, upstream: gateway.url })).rejects.toThrow(
      /not fal-kling-v3-standard-t2v's documented server \(queue\.fal\.run\)/,
    );
  });

  it('answers invalid bodies locally, finds the drift, records no key', async () => {
    const dir = tempFolder('kc-proxy-');
    const har = join(dir, 'proxy.har');
    const proxy = await startProxy({ spec, upstream: gateway.url, upstreamAllow: ['127.0.0.1'], record: har });
    const startedAt = new Date().toISOString();
    const post = (body: unknown) =>
      request(`${proxy.url}/v1/videos/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const invalid = await post({ model: 'kling-v3-text-to-video', prompt: 'a cat', duration: 99 });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.headers['x-kc-proxy']).toMatch(/not forwarded/);
    await invalid.body.dump();
    expect(gateway.seen).toEqual([]);
    // the key echoed in a body, in every encoding redaction knows, must not reach the record either
    const prompts = echoPrompts(KEY);
    for (const [i, prompt] of prompts.entries()) {
      const answer = await post({ model: 'kling-v3-text-to-video', prompt });
      expect(answer.statusCode).toBe(200);
      const created = (await answer.body.json()) as { id: string };
      if (i >= 2) continue;
      const polled = await request(`${proxy.url}/v1/tasks/${created.id}`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      expect(polled.statusCode).toBe(200);
      await polled.body.dump();
    }
    expect(gateway.seen).toHaveLength(prompts.length + 2);
    // every create the upstream answered 2xx is a task it bills; the one answered locally is not
    expect(proxy.counts).toEqual({
      forwarded: prompts.length + 2,
      rejectedLocally: 1,
      tasksCreated: prompts.length,
      mayHaveCreated: {},
    });
    await proxy.close();

    const results = proxyResults(spec, proxy, gateway.url, startedAt);
    expect(results.summary.billableTasks.created).toBe(prompts.length);
    const create = results.results.find((r) => r.id === 'shape.create')!;
    expect(create.status).toBe('fail');
    expect(create.findings?.[0]?.message).toMatch(/object/);
    expect(results.results.find((r) => r.id === 'shape.poll.completed')?.status).toBe('pass');
    writeReport(dir, results);
    const drift = await runCli(['drift', '--results', join(dir, 'results.json'), '--format', 'json']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('"fact": "shape.create"');

    const recorded = readFileSync(har, 'utf8');
    expect(JSON.parse(recorded).log.entries).toHaveLength(prompts.length + 3);
    for (const form of [KEY, ...encodedForms(KEY)]) expect(recorded).not.toContain(form);
  }, 60_000);

  it('answers the request that makes it stop (--max-upstream-failures) before it stops', async () => {
    const proxy = await startProxy({
      spec,
      upstream: 'http://127.0.0.1:9',
      upstreamAllow: ['127.0.0.1'],
      maxUpstreamFailures: 1,
    });
    // the CLI closes the proxy as soon as it stops itself
    const closed = proxy.stopped.then(() => proxy.close());
    const res = await request(`${proxy.url}/v1/tasks/x`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(res.statusCode).toBe(502);
    expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('proxy_error');
    await closed;
  });

  it('passes a redirect back to the client and never follows it', async () => {
    const proxy = await startProxy({ spec, upstream: gateway.url, upstreamAllow: ['127.0.0.1'] });
    const before = gateway.seen.length;
    const res = await request(`${proxy.url}/v1/tasks/redirect-me`, { headers: { authorization: `Bearer ${KEY}` } });
    await res.body.dump();
    await proxy.close();
    expect(res.statusCode).toBe(302);
    expect(gateway.seen.slice(before)).toEqual(['GET /v1/tasks/redirect-me']);
  });
});
