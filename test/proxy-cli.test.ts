// `kling-conformance proxy` as users type it, in its own process: a Python client's traffic through it to a loopback
// gateway that drifts once, stopped by a signal; results written on any stop (signal, --max-requests, an upstream
// that fails), read by `drift --results`; an invalid body never reaches the upstream; no key in the record.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedForms } from '../src/core/redact.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { runCli } from './run-cli.ts';
import { CLIENT_ENV, PYTHON } from './support/client-session.ts';
import { driftingGateway } from './support/drifting-gateway.ts';
import { heldGateway } from './support/held-gateway.ts';
import { echoPrompts } from './support/echo-prompts.ts';
import { serveCli } from './support/serve-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-proxy-cli-secret-5b4a3c';
const PROVIDER = 'evolink-kling-v3-t2v';
let mock: RunningMock;
let gateway: Awaited<ReturnType<typeof driftingGateway>>;
const temp = () => tempFolder('kc-proxy-cli-');
const proxyArgs = (upstream: string, dir: string, ...more: string[]) => [
  'proxy',
  '--json',
  '--provider',
  PROVIDER,
  '--upstream',
  upstream,
  '--upstream-allow',
  '127.0.0.1',
  '--report-dir',
  dir,
  ...more,
];
const results = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { results: { id: string; status: string }[] };

function runPython(script: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const [cmd, ...args] = PYTHON(script);
    spawn(cmd!, args, { env: { ...process.env, ...env }, stdio: 'ignore' }).on('close', resolve);
  });
}

beforeAll(async () => {
  [mock] = (await startMocks([await loadSpecById(PROVIDER)], { completeAfterPolls: 1 })) as [RunningMock];
  gateway = await driftingGateway(mock.url);
});
afterAll(async () => {
  gateway.close();
  await stopMocks([mock]);
});

describe('proxy (CLI, own process)', () => {
  it('forwards a client, finds the drift after SIGTERM, never forwards an invalid body, records no key', async () => {
    const dir = temp();
    const har = join(dir, 'staging.har');
    const proxy = await serveCli(proxyArgs(gateway.url, dir, '--record', har));
    const client = await runPython('good_client.py', {
      KC_BASE_URL: proxy.url,
      KC_API_KEY: KEY,
      KC_JOBS: '1',
      KC_POLL_INTERVAL: '0.2',
      ...CLIENT_ENV[PROVIDER],
    });
    expect(client, proxy.stderr()).toBe(0);
    const post = (body: unknown) =>
      request(`${proxy.url}/v1/videos/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const creates = () => gateway.seen.filter((s) => s.startsWith('POST')).length;
    const before = creates();
    const invalid = await post({ model: 'kling-v3-text-to-video', prompt: 'a cat', duration: 99 });
    expect(invalid.statusCode).toBe(400);
    await invalid.body.dump();
    expect(creates()).toBe(before);
    // the key echoed in a body, in every encoding redaction knows
    const prompts = echoPrompts(KEY);
    for (const prompt of prompts) {
      const echo = await post({ model: 'kling-v3-text-to-video', prompt });
      expect(echo.statusCode).toBe(200);
      await echo.body.dump();
    }
    expect(creates()).toBe(before + prompts.length);
    // a 200 whose body is not JSON (the mock's `malformed` scenario, passed through)
    const malformed = await request(`${proxy.url}/v1/videos/generations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-mock-scenario': 'malformed' },
      body: JSON.stringify({ model: 'kling-v3-text-to-video', prompt: 'a cat' }),
    });
    expect(malformed.statusCode).toBe(200);
    const malformedBytes = (await malformed.body.arrayBuffer()).byteLength;

    expect(await proxy.stop('SIGTERM')).toBe(1);
    expect(proxy.stderr()).toMatch(/proxy stopped \(SIGTERM\); reports written/);
    expect(results(dir).results.find((r) => r.id === 'shape.create')?.status).toBe('fail');
    const drift = await runCli(['drift', '--results', join(dir, 'results.json'), '--format', 'json']);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain('shape.create');
    expect(drift.stdout).toMatch(/object/);
    // each finding names its fact once, its exchange (the HAR entry and its start) and the documented schema's source
    const { items } = JSON.parse(drift.stdout) as {
      items: { fact: string; message: string; requestIds: string[]; source?: string }[];
    };
    expect(items.map((i) => i.fact)).toEqual(['shape.create']);
    const recorded = readFileSync(har, 'utf8');
    const entries = (
      JSON.parse(recorded) as { log: { entries: { startedDateTime: string; request: { method: string } }[] } }
    ).log.entries;
    expect(entries.length).toBeGreaterThanOrEqual(4);
    const findings = (
      JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
        results: { id: string; findings?: { message: string; requestIds?: string[]; source?: string }[] }[];
      }
    ).results.find((r) => r.id === 'shape.create')!.findings!;
    for (const f of findings) {
      const [, index, started] = /^HAR entry (\d+) \(started (\S+?)[,)]/.exec(f.message) ?? [];
      expect(entries[Number(index)]?.startedDateTime, f.message).toBe(started);
      expect(entries[Number(index)]?.request.method).toBe('POST');
      expect(f.requestIds?.length, f.message).toBe(1);
      expect(f.source).toMatch(/\S/);
    }
    expect(items[0]!.requestIds.length).toBeGreaterThanOrEqual(2);
    expect(items[0]!.source).toMatch(/\S/);
    const notJson = findings.find((f) => f.message.includes('not JSON'))?.message;
    expect(notJson).toContain(`the body is not JSON (${malformedBytes} bytes: "`);
    expect(drift.stdout).not.toMatch(/undefined/);
    for (const form of [KEY, ...encodedForms(KEY)]) expect(recorded).not.toContain(form);
  }, 90_000);

  it('writes the results when it stops itself: --max-requests, and an upstream that keeps failing', async () => {
    const [counted, failing] = [temp(), temp()];
    const byCount = await serveCli(proxyArgs(gateway.url, counted, '--max-requests', '1'));
    const dead = await serveCli(proxyArgs('http://127.0.0.1:9', failing, '--max-upstream-failures', '1'));
    const poll = await request(`${byCount.url}/v1/tasks/unknown-task`, { headers: { authorization: `Bearer ${KEY}` } });
    await poll.body.dump();
    const refused = await request(`${dead.url}/v1/tasks/x`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(refused.statusCode).toBe(502);
    // the proxy's own 502 in the envelope the spec documents for a 500 (no 502 documented), the proxy's code in it
    const envelope = (await loadSpecById(PROVIDER)).x.errors['500']!.body as { error: Record<string, unknown> };
    const answered = (await refused.body.json()) as { error: Record<string, unknown> };
    expect(Object.keys(answered.error).sort()).toEqual(Object.keys(envelope.error).sort());
    expect(answered.error).toMatchObject({ code: 'proxy_error', message: expect.stringContaining('upstream failed') });
    expect(await byCount.exited).toBe(0);
    expect(byCount.stderr()).toMatch(/proxy stopped \(1 requests answered \(--max-requests\)\)/);
    // the one poll, of a task id not of EvoLink's form: its documented 400 invalid_task_id, status and body judged
    expect(results(counted).results.map((r) => [r.id, r.status])).toEqual([
      ['answers.poll', 'pass'],
      ['shape.error.400', 'pass'],
    ]);
    // an upstream that never answered is an error (exit 1), never a pass
    expect(await dead.exited).toBe(1);
    expect(dead.stderr()).toMatch(/the upstream failed 1 times in a row/);
    expect(results(failing).results).toEqual([expect.objectContaining({ id: 'proxy.upstream', status: 'error' })]);
    // nothing judged: not "no drift" (exit 0) but could not be judged (exit 2), in Markdown and JSON
    const md = await runCli(['drift', '--results', join(failing, 'results.json')]);
    expect(md.code).toBe(2);
    expect(md.stdout).toMatch(
      /## Could not be judged: no evidence \(1; not drift\)[\s\S]*proxy\.upstream: .*ECONNREFUSED/,
    );
    const json = await runCli(['drift', '--results', join(failing, 'results.json'), '--format', 'json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      items: [],
      unjudged: [{ provider: PROVIDER, check: 'proxy.upstream', cause: 'error' }],
    });
  }, 60_000);

  it('a request in flight at SIGTERM gets a 503 at a second Ctrl-C, and the record holds it as cut', async () => {
    const dir = temp();
    const har = join(dir, 'stopped.har');
    const held = await heldGateway();
    try {
      const proxy = await serveCli(proxyArgs(held.url, dir, '--record', har, '--drain-timeout', '600'));
      const poll = request(`${proxy.url}/v1/tasks/task-held`, { headers: { authorization: `Bearer ${KEY}` } });
      await held.next();
      proxy.stop('SIGTERM');
      await proxy.said(/proxy stopping \(SIGTERM\): 1 request\(s\) in flight, given 600 s to finish/);
      const code = proxy.stop('SIGINT');
      const res = await poll;
      expect(res.statusCode).toBe(503);
      expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('proxy_stopping');
      // the only request was cut: nothing the upstream said was judged, which is no pass (exit 1, never 0)
      expect(await code).toBe(1);
      expect(results(dir).results).toEqual([expect.objectContaining({ id: 'proxy.judged', status: 'error' })]);
      expect(proxy.stderr()).toMatch(/0 finished, 1 answered 503 by the proxy \(cut-at-stop in the record\)/);
      const entries = JSON.parse(readFileSync(har, 'utf8')).log.entries as { _kc: { step: string } }[];
      expect(entries.map((e) => e._kc.step)).toEqual(['cut-at-stop']);
    } finally {
      held.close();
    }
  }, 60_000);
});
