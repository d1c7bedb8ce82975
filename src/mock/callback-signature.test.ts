// The mock signs its callbacks as the spec documents (callbacks.signature), so a team can test its webhook
// receiver's verification against it. The receiver here verifies by ToAPIs' recipe as the page words it, written
// out by hand (not with the mock's code): HMAC-SHA256 with the Token secret over event_id + "." + timestamp + "." +
// raw_request_body, compared with each v1=<hex> of X-ToAPIs-Webhook-Signature; a timestamp more than five minutes
// off local time is refused.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderSpec } from '../spec/model.ts';
import { byId, mockOf, useMockHarness, validBody } from './mock-http.test-support.ts';

useMockHarness();

const SECRET = 'kc-webhook-secret-3f9a1c';
const FIVE_MINUTES_S = 300;

/** ToAPIs' documented verification, by hand: true when one v1= value is the HMAC of event_id.timestamp.raw_body. */
function verifyToapis(headers: IncomingHttpHeaders, raw: string, secret: string, nowMs: number): boolean {
  const id = headers['x-toapis-webhook-id'];
  const timestamp = headers['x-toapis-webhook-timestamp'];
  const signature = headers['x-toapis-webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > FIVE_MINUTES_S) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${id}.${timestamp}.${raw}`).digest('hex')}`);
  return signature
    .split(',')
    .map((v) => Buffer.from(v.trim()))
    .some((v) => v.length === expected.length && timingSafeEqual(v, expected));
}

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  accepted: boolean;
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A webhook receiver on loopback: answers 204 to a delivery it verifies, 401 to one it does not. */
async function receiver(secret: string, now: () => number) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => {
      const accepted = verifyToapis(req.headers, raw, secret, now());
      received.push({ headers: req.headers, raw, accepted });
      res.writeHead(accepted ? 204 : 401).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => new Promise((r) => server.close(() => r()));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** One task created with a callback URL on the receiver's origin, polled to its end; what the receiver got. */
async function deliver(
  spec: ProviderSpec,
  options: { secret?: string; receiverSecret?: string; scenario?: string } = {},
) {
  let now = () => 0;
  const hook = await receiver(options.receiverSecret ?? SECRET, () => now());
  const { client, mock, clock } = await mockOf(spec, {
    allowLoopbackCallbacks: true,
    callbackDefault: `${hook.origin}/hooks`,
    ...(options.secret === undefined ? {} : { callbackSecret: options.secret }),
  });
  now = () => clock.now();
  const field = spec.x.callbacks!.field!.slice(1);
  const headers = options.scenario ? { 'x-mock-scenario': options.scenario } : undefined;
  const created = await client.createTask(
    { ...validBody(spec), [field]: `${hook.origin}/hooks/kling?order=7` },
    {
      headers,
    },
  );
  expect(created.status, created.text).toBeLessThan(300);
  const id = client.taskIdOf(created)!;
  await client.waitForTask(id, { maxPolls: 5, intervalMs: 0 });
  await Promise.all([...mock.state.pending]);
  expect(hook.received).toHaveLength(1);
  return { id, got: hook.received[0]!, record: mock.state.callbacks[0]! };
}

describe('signed callbacks (callbacks.signature): with --callback-secret the mock signs as documented', () => {
  it('a receiver verifying by the documented recipe accepts the delivery, the documented event', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const { id, got, record } = await deliver(spec, { secret: SECRET });
    expect(got.accepted).toBe(true);
    expect(record.status).toBe(204);
    const event = JSON.parse(got.raw) as { id: string; type: string; data: Record<string, unknown> };
    // the signed event id is the id header's and the payload's (our reading, marked inferred in the spec)
    expect(event.id).toBe(got.headers['x-toapis-webhook-id']);
    expect(event.id).toMatch(/^evt_[0-9a-f]+$/);
    expect(event.type).toBe('generation.completed');
    expect(Object.keys(event).sort()).toEqual(['api_version', 'created_at', 'data', 'id', 'type']);
    expect(Object.keys(event.data).sort()).toEqual(
      ['task_id', 'task_type', 'model', 'status', 'progress', 'result', 'error', 'submitted_at', 'finished_at'].sort(),
    );
    expect(event.data).toMatchObject({ task_id: id, status: 'completed', error: null });
    // the secret is a credential: it is never in what the mock sends or keeps
    expect(JSON.stringify([got.headers, got.raw, record])).not.toContain(SECRET);
  });

  it('a failed task sends the documented failure event, signed the same way', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const { got } = await deliver(spec, { secret: SECRET, scenario: 'fail' });
    expect(got.accepted).toBe(true);
    expect(JSON.parse(got.raw)).toMatchObject({ type: 'generation.failed', data: { status: 'failed', result: null } });
  });

  it('the same receiver refuses a broken signer: another secret, other signed bytes, a stale time', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    expect((await deliver(spec, { secret: 'kc-some-other-secret' })).got.accepted).toBe(false);
    await close?.();
    const signature = spec.x.callbacks!.signature!;
    const withSignature = (change: Partial<typeof signature>): ProviderSpec => ({
      ...spec,
      x: { ...spec.x, callbacks: { ...spec.x.callbacks!, signature: { ...signature, ...change } } },
    });
    // the body alone, or the parts in another order: not the documented bytes
    for (const signedBytes of ['{{body}}', '{{timestamp}}.{{id}}.{{body}}', '{{id}}.{{timestamp}}{{body}}']) {
      const { got, record } = await deliver(withSignature({ signedBytes }), { secret: SECRET });
      expect(got.accepted, signedBytes).toBe(false);
      expect(record.status, signedBytes).toBe(401);
      await close?.();
    }
    // milliseconds where the receiver reads seconds: five minutes off, and more
    expect((await deliver(withSignature({ timestamp: { format: 'unix-ms' } }), { secret: SECRET })).got.accepted).toBe(
      false,
    );
  });

  it('no secret: the Token counts as unconfigured (a callback URL gets webhook_not_configured)', async () => {
    const spec = byId('toapis-kling-3.0-turbo');
    const hook = await receiver(SECRET, () => 0);
    const { client } = await mockOf(spec, { allowLoopbackCallbacks: true, callbackDefault: `${hook.origin}/hooks` });
    const created = await client.createTask({ ...validBody(spec), callback_url: `${hook.origin}/hooks/kling` });
    expect(created.status).toBe(400);
    expect(created.text).toContain('webhook_not_configured');
  });

  it('a provider whose spec documents no signature sends none, whatever secret the mock holds', async () => {
    const spec = byId('evolink-kling-v3-t2v');
    expect(spec.x.callbacks?.signature).toBeUndefined();
    const { got, record } = await deliver(spec, { secret: SECRET });
    expect(got.accepted).toBe(false);
    expect(Object.keys(got.headers).filter((h) => /signature|webhook/i.test(h))).toEqual([]);
    expect(record.headers).toBeUndefined();
  });
});
