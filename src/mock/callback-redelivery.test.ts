// The mock's webhooks as a provider documents them (ToAPIs here; every rule read from its spec): a failed delivery is
// sent again on the documented schedule with the same event id and the resend time, until a 2xx or the last retry;
// both signatures for the rotation window after a secret rotation; the documented test event; the account's default
// URL for a request without one. Time is the mock's virtual clock: nothing here sleeps.
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderSpec } from '../spec/model.ts';
import { readTraffic } from '../har/read-traffic.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';
import type { MockOptions } from './options.ts';
import { byId, mockOf, useMockHarness, validBody } from './mock-http.test-support.ts';

useMockHarness();

const SECRET = 'kc-whsec-current-5e1f0a';
const PREVIOUS = 'kc-whsec-previous-77c2d9';
const TOAPIS = 'toapis-kling-3.0-turbo';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A receiver on loopback answering the n-th delivery (0-based) with `answer(n)`, or never (`hang`). */
async function receiver(answer: (n: number) => number | 'hang' = () => 204, echo = '') {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => {
      const status = answer(received.length);
      received.push({ headers: req.headers, raw });
      if (status === 'hang') hanging.push(res);
      else res.writeHead(status, { 'content-type': 'text/plain' }).end(echo);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(() => r(undefined)));
  });
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** The mock with the account's webhook settings on the receiver's origin. */
async function toapisMock(origin: string, options: MockOptions = {}) {
  const spec = byId(TOAPIS);
  const started = await mockOf(spec, {
    allowLoopbackCallbacks: true,
    callbackDefault: `${origin}/hooks`,
    callbackSecret: SECRET,
    ...options,
  });
  return { spec, ...started };
}

type Started = Awaited<ReturnType<typeof toapisMock>>;

/** Lets every attempt that is due start and finish (a turn of the event loop, then the attempts in flight). */
async function settle(mock: Started['mock']): Promise<void> {
  for (let turn = 0; turn < 20; turn++) {
    await setImmediate();
    if (mock.state.pending.size === 0) return;
    await Promise.all([...mock.state.pending]);
  }
}

/** A task with a callback URL (or none), polled to its end, its first delivery attempt done. */
async function endTask(m: Started, origin: string | undefined, scenario?: string) {
  const body = origin ? { ...validBody(m.spec), callback_url: `${origin}/hooks/kling` } : validBody(m.spec);
  const created = await m.client.createTask(body, scenario ? { headers: { 'x-mock-scenario': scenario } } : {});
  expect(created.status, created.text).toBeLessThan(300);
  await m.client.waitForTask(m.client.taskIdOf(created)!, { maxPolls: 5, intervalMs: 0 });
  await settle(m.mock);
}

/** Which of the secrets signed each `v1=` value of a delivery (by the documented recipe, written out by hand). */
function signers(got: Received, secrets: string[]): (string | undefined)[] {
  const id = got.headers['x-toapis-webhook-id'];
  const timestamp = got.headers['x-toapis-webhook-timestamp'];
  const hex = (s: string) => createHmac('sha256', s).update(`${id}.${timestamp}.${got.raw}`).digest('hex');
  return String(got.headers['x-toapis-webhook-signature'])
    .split(',')
    .map((v) => secrets.find((s) => v === `v1=${hex(s)}`));
}

const delays = (spec: ProviderSpec) => spec.x.callbacks!.retryDelaysSeconds!.map((s) => s * 1000);

describe('redelivery (callbacks.retryDelaysSeconds, callbacks.redelivery)', () => {
  it('a failing receiver gets it again after each documented wait, same id, the resend time, until a 2xx', async () => {
    const hook = await receiver((n) => (n < 3 ? 500 : 204));
    const m = await toapisMock(hook.origin);
    await endTask(m, hook.origin);
    expect(hook.received).toHaveLength(1);
    for (const [i, wait] of delays(m.spec).slice(0, 3).entries()) {
      m.clock.advance(wait - 1);
      await settle(m.mock);
      expect(hook.received, `not before the wait of ${wait} ms`).toHaveLength(i + 1);
      m.clock.advance(1);
      await settle(m.mock);
      expect(hook.received).toHaveLength(i + 2);
    }
    // delivered (204): nothing more, however long the mock runs
    m.clock.advance(100 * 86_400_000);
    await settle(m.mock);
    expect(hook.received).toHaveLength(4);
    const ids = hook.received.map((g) => g.headers['x-toapis-webhook-id']);
    expect(new Set(ids).size).toBe(1);
    expect(new Set(hook.received.map((g) => g.raw)).size, 'the same body every time').toBe(1);
    expect(JSON.parse(hook.received[0]!.raw).id).toBe(ids[0]);
    const times = hook.received.map((g) => Number(g.headers['x-toapis-webhook-timestamp']));
    expect(times.slice(1).map((t, i) => (t - times[i]!) * 1000)).toEqual(delays(m.spec).slice(0, 3));
    for (const got of hook.received) expect(signers(got, [SECRET])).toEqual([SECRET]);
    expect(m.mock.state.callbacks.map((c) => [c.attempt, c.status, c.nextAttemptAt !== undefined])).toEqual([
      [1, 500, true],
      [2, 500, true],
      [3, 500, true],
      [4, 204, false],
    ]);
    expect(m.mock.state.outbox.size).toBe(0);
  });

  it('stops after the last documented retry (1 + 7 attempts), and a 3xx is not followed but a failure', async () => {
    const hook = await receiver(() => 302);
    const m = await toapisMock(hook.origin);
    await endTask(m, hook.origin);
    for (const wait of delays(m.spec)) {
      m.clock.advance(wait);
      await settle(m.mock);
    }
    m.clock.advance(100 * 86_400_000);
    await settle(m.mock);
    expect(hook.received).toHaveLength(1 + delays(m.spec).length);
    expect(m.mock.state.callbacks.at(-1)).toMatchObject({ attempt: 8, status: 302 });
    expect(m.mock.state.callbacks.at(-1)!.nextAttemptAt).toBeUndefined();
    expect(m.mock.state.outbox.size).toBe(0);
  });

  it('a receiver that does not answer within the documented timeout fails the attempt (virtual time)', async () => {
    const hook = await receiver((n) => (n === 0 ? 'hang' : 200));
    const m = await toapisMock(hook.origin);
    const created = await m.client.createTask({ ...validBody(m.spec), callback_url: `${hook.origin}/hooks/kling` });
    await m.client.waitForTask(m.client.taskIdOf(created)!, { maxPolls: 5, intervalMs: 0 });
    while (hook.received.length === 0) await setImmediate();
    for (let turn = 0; turn < 50; turn++) await setImmediate();
    expect(m.mock.state.callbacks, 'still waiting for the answer').toEqual([]);
    m.clock.advance(m.spec.x.callbacks!.timeoutSeconds! * 1000);
    // the deadline is on the mock's clock: the attempt ends within a few turns (the real-time bound is 10 s away)
    for (let turn = 0; turn < 50 && m.mock.state.callbacks.length === 0; turn++) await setImmediate();
    expect(m.mock.state.callbacks[0]).toMatchObject({ attempt: 1, timedOut: true });
    m.clock.advance(delays(m.spec)[0]!);
    await settle(m.mock);
    expect(m.mock.state.callbacks.map((c) => c.status)).toEqual([undefined, 200]);
  });

  it('--callback-retry-scale compresses the schedule', async () => {
    const hook = await receiver((n) => (n === 0 ? 500 : 204));
    const m = await toapisMock(hook.origin, { callbackRetryScale: 0.001 });
    await endTask(m, hook.origin);
    m.clock.advance(delays(m.spec)[0]! * 0.001);
    await settle(m.mock);
    expect(hook.received).toHaveLength(2);
  });

  it('bounded: past maxPendingCallbacks the oldest event is given up (its wait ended, said so)', async () => {
    const hook = await receiver(() => 500);
    const m = await toapisMock(hook.origin, { maxPendingCallbacks: 2 });
    for (let i = 0; i < 5; i++) await endTask(m, hook.origin);
    expect(m.mock.state.outbox.size).toBe(2);
    expect(m.mock.state.outbox.abandoned).toBe(3);
    expect(m.mock.state.callbacks.filter((c) => c.abandoned)).toHaveLength(3);
    // one clock wait per pending event, no more
    expect(m.clock.waiting).toBe(2);
  });
});

describe('secret rotation (callbacks.signature.rotation)', () => {
  it('both v1= values (current, previous) within the documented window from the mock start; then one', async () => {
    const hook = await receiver();
    const m = await toapisMock(hook.origin, { callbackPreviousSecret: PREVIOUS });
    await endTask(m, hook.origin);
    expect(signers(hook.received[0]!, [SECRET, PREVIOUS])).toEqual([SECRET, PREVIOUS]);
    m.clock.advance(m.spec.x.callbacks!.signature!.rotation!.overlapSeconds * 1000);
    await endTask(m, hook.origin);
    expect(signers(hook.received[1]!, [SECRET, PREVIOUS])).toEqual([SECRET]);
  });
});

describe('the test event (callbacks.payload.events.test) and the default URL (callbacks.accountDefault)', () => {
  it('POST /__mock/callbacks/test sends the documented test event, signed, to the default URL', async () => {
    const hook = await receiver();
    const m = await toapisMock(hook.origin);
    const res = await fetch(`${m.mock.url}/__mock/callbacks/test`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ url: `${hook.origin}/hooks`, status: 204, type: 'endpoint.test' });
    expect(hook.received).toHaveLength(1);
    const event = JSON.parse(hook.received[0]!.raw);
    expect(event).toMatchObject({ type: 'endpoint.test', id: hook.received[0]!.headers['x-toapis-webhook-id'] });
    expect(signers(hook.received[0]!, [SECRET])).toEqual([SECRET]);
  });

  it('the test route says why it cannot send: no webhook settings (409), no documented test event (404)', async () => {
    const { mock } = await mockOf(byId(TOAPIS));
    const res = await fetch(`${mock.url}/__mock/callbacks/test`, { method: 'POST' });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toContain('--callback-default');
    const other = await mockOf(byId('evolink-kling-v3-t2v'), { callbackDefault: 'http://127.0.0.1:9/hooks' });
    expect((await fetch(`${other.mock.url}/__mock/callbacks/test`, { method: 'POST' })).status).toBe(404);
  });

  it('no callback_url: called back at the default URL; without webhook settings, not at all', async () => {
    const hook = await receiver();
    const m = await toapisMock(hook.origin);
    await endTask(m, undefined);
    expect(m.mock.state.callbacks.map((c) => c.url)).toEqual([`${hook.origin}/hooks`]);
    expect(JSON.parse(hook.received[0]!.raw)).toMatchObject({ type: 'generation.completed' });
    // no settings, or a default URL without the secret ToAPIs also needs: the Token's webhooks are not configured
    for (const settings of [{}, { callbackDefault: `${hook.origin}/hooks` }]) {
      const unconfigured = await mockOf(m.spec, { allowLoopbackCallbacks: true, ...settings });
      const created = await unconfigured.client.createTask(validBody(m.spec));
      expect(created.status).toBeLessThan(300);
      await unconfigured.client.waitForTask(unconfigured.client.taskIdOf(created)!, { maxPolls: 5, intervalMs: 0 });
      await settle(unconfigured.mock);
      expect(unconfigured.mock.state.callbacks).toEqual([]);
    }
    expect(hook.received).toHaveLength(1);
  });
});

describe('every attempt in the recording (--record)', () => {
  it("each attempt is an entry (the receiver's answer, secret redacted); verify-client leaves them out", async () => {
    // a careless receiver echoes the secret it verified with: the recording must not keep it
    const hook = await receiver((n) => (n === 0 ? 500 : 204), `checked with ${SECRET}`);
    const m = await toapisMock(hook.origin, { record: {} });
    await endTask(m, hook.origin);
    m.clock.advance(delays(m.spec)[0]!);
    await settle(m.mock);
    await setImmediate();
    const har = m.mock.state.recorder!.har();
    const attempts = har.log.entries.filter((e) => e._kc?.operation === 'callback');
    expect(attempts.map((e) => [e.request.url, e.response.status, e._kc?.step])).toEqual([
      [`${hook.origin}/hooks/kling`, 500, 'attempt 1'],
      [`${hook.origin}/hooks/kling`, 204, 'attempt 2'],
    ]);
    const names = attempts[1]!.request.headers.map((h) => h.name);
    expect(names).toEqual(expect.arrayContaining(['x-toapis-webhook-id', 'x-toapis-webhook-signature']));
    expect(attempts[0]!.response.content.text).toContain('checked with'); // (a 204 has no body)
    expect(JSON.stringify(har)).not.toContain(SECRET);
    const file = join(tempFolder('kc-callback-har-'), 'session.har');
    writeFileSync(file, JSON.stringify(har));
    const traffic = readTraffic([file], m.spec.x.auth);
    expect(traffic.exchanges.length).toBe(har.log.entries.length - attempts.length);
    expect(traffic.exchanges.some((x) => x.url.startsWith(hook.origin))).toBe(false);
  });
});
