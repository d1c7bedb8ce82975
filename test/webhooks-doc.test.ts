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
const SECRET = 'whsec-doc-test-4d7e1a';
const running: RunningMock[] = [];
afterAll(() => stopMocks(running));

async function docVerifier(): Promise<Verify> {
  const doc = readFileSync('docs/webhooks.md', 'utf8');
  const block = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('verifyToapis'));
  expect(block, 'the receiver check in docs/webhooks.md').toBeDefined();
  const file = join(tempFolder('kc-webhooks-doc-'), 'verify.mjs');
  writeFileSync(file, block!);
  return ((await import(pathToFileURL(file).href)) as { verifyToapisWebhook: Verify }).verifyToapisWebhook;
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
