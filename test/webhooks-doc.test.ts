// docs/webhooks.md gives a team the receiver-side check of ToAPIs' webhook signature: that very code block, taken
// from the doc, must accept the mock's signed delivery and refuse one signed with another secret or too old.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GatewayClient } from '../src/client/gateway-client.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { tempFolder } from './support/temp-folder.ts';

type Verify = (headers: IncomingHttpHeaders, rawBody: string, secret: string, nowMs?: number) => boolean;
type Receive = (
  headers: IncomingHttpHeaders,
  rawBody: string,
  secret: string,
  work: (event: { id: string }) => void,
  nowMs?: number,
) => number;
const SECRET = 'whsec-doc-test-4d7e1a';
const running: RunningMock[] = [];
afterAll(() => stopMocks(running));

async function docVerifier(): Promise<Verify> {
  return (await docModule()).verifyToapisWebhook;
}

/** The doc's receiver code block, imported as a module. */
async function docModule(): Promise<{ verifyToapisWebhook: Verify; receiveToapisWebhook: Receive }> {
  const doc = readFileSync('docs/webhooks.md', 'utf8');
  const block = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('verifyToapis'));
  expect(block, 'the receiver check in docs/webhooks.md').toBeDefined();
  const file = join(tempFolder('kc-webhooks-doc-'), 'verify.mjs');
  writeFileSync(file, block!);
  return (await import(pathToFileURL(file).href)) as { verifyToapisWebhook: Verify; receiveToapisWebhook: Receive };
}

/** The mock's one delivery for a task with a callback URL on a loopback receiver, as the doc's recipe makes it. */
async function delivery(secret: string) {
  const got: { headers: IncomingHttpHeaders; raw: string }[] = [];
  const receiver = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => got.push({ headers: req.headers, raw }) && res.end());
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const spec = await loadSpecById('toapis-kling-3.0-turbo');
  const clock = new VirtualClock(Date.now());
  const [mock] = await startMocks([spec], {
    clock,
    allowLoopbackCallbacks: true,
    callbackDefault: `${origin}/webhooks`,
    callbackSecret: secret,
  });
  running.push(mock!);
  const client = new GatewayClient(spec, { baseUrl: mock!.url, apiKey: 'any-key', retry: false });
  const created = await client.createTask({
    model: 'kling-3.0-turbo',
    prompt: 'a cat',
    callback_url: `${origin}/webhooks/kling`,
  });
  await client.waitForTask(client.taskIdOf(created)!, { maxPolls: 5, intervalMs: 0 });
  await Promise.all([...mock!.state.pending]);
  receiver.close();
  expect(got).toHaveLength(1);
  return { ...got[0]!, now: clock.now() };
}

describe('docs/webhooks.md: the receiver check it prints', () => {
  it('accepts the mock signed delivery, refuses another secret and a stale timestamp', async () => {
    const verify = await docVerifier();
    const signed = await delivery(SECRET);
    expect(verify(signed.headers, signed.raw, SECRET, signed.now)).toBe(true);
    expect(verify(signed.headers, signed.raw, 'whsec-another-secret', signed.now)).toBe(false);
    expect(verify(signed.headers, `${signed.raw} `, SECRET, signed.now)).toBe(false);
    expect(verify(signed.headers, signed.raw, SECRET, signed.now + 301_000)).toBe(false);
    const other = await delivery('whsec-not-yours-9b2f');
    expect(verify(other.headers, other.raw, SECRET, other.now)).toBe(false);
  });
});

describe("docs/webhooks.md: the receiver's handler it prints", () => {
  it('refuses a delivery signed with another secret, and handles a redelivery after a lost answer once', async () => {
    const { receiveToapisWebhook } = await docModule();
    const clock = new VirtualClock(Date.now());
    const worked: string[] = [];
    const answered: number[] = [];
    // the receiver does its work, then its answer is lost the first time (a 500 here): the mock sends it again
    const receiver = createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (raw += d));
      req.on('end', () => {
        const status = receiveToapisWebhook(req.headers, raw, SECRET, (e) => worked.push(e.id), clock.now());
        answered.push(status);
        res.writeHead(answered.length === 1 ? 500 : status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const spec = await loadSpecById('toapis-kling-3.0-turbo');
    const mocks = await startMocks([spec], {
      clock,
      allowLoopbackCallbacks: true,
      callbackDefault: `${origin}/webhooks`,
      callbackSecret: SECRET,
    });
    running.push(...mocks);
    const mock = mocks[0]!;
    const client = new GatewayClient(spec, { baseUrl: mock.url, apiKey: 'any-key', retry: false });
    const created = await client.createTask({ model: 'kling-3.0-turbo', prompt: 'a cat' });
    await client.waitForTask(client.taskIdOf(created)!, { maxPolls: 5, intervalMs: 0 });
    await Promise.all([...mock.state.pending]);
    clock.advance(spec.x.callbacks!.retryDelaysSeconds![0]! * 1000);
    while (answered.length < 2) await new Promise((r) => setImmediate(r));
    await Promise.all([...mock.state.pending]);
    expect(answered).toEqual([200, 200]);
    expect(worked).toHaveLength(1);
    expect(mock.state.callbacks.map((c) => c.status)).toEqual([500, 200]);
    // the same mock's test event, signed with another secret than the receiver holds: refused
    const other = await startMocks([spec], {
      clock,
      allowLoopbackCallbacks: true,
      callbackDefault: `${origin}/webhooks`,
      callbackSecret: 'whsec-not-yours-9b2f',
    });
    running.push(...other);
    await fetch(`${other[0]!.url}/__mock/callbacks/test`, { method: 'POST' });
    expect(answered.at(-1)).toBe(401);
    expect(worked).toHaveLength(1);
    receiver.close();
  });
});
