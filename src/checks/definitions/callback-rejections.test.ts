// reject.callback.<rule> against a gateway over HTTP as a live run sees it (target live: no mock control), in both
// account states the documents distinguish (webhook settings configured or not), and against gateways that break
// each behaviour. The proof over the faithful mock (target mock) is test/checks-can-fail.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock.ts';
import { startMocks, stopMocks } from '../../mock/start-mocks.ts';
import type { MockOptions } from '../../mock/options.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { createCheckContext } from '../../worker/create-context.ts';
import { startDeviatingMock, type Deviation } from '../../../test/support/deviating-mock.ts';
import { buildBreaker } from '../../../test/support/breakers.ts';
import { readSettings, workerSettings } from '../../core/run-settings.ts';
import { runCheck } from '../engine.ts';
import { checksFor } from '../registry.ts';
import { spendClassOf } from '../spend-class.ts';
import type { CheckResult } from '../types.ts';

const spec = await loadSpecById('toapis-kling-3.0-turbo');
const KEY = 'kc-callback-checks-key';
const DEFAULT = 'https://hooks.example.com/kling';
const CONFIGURED = { callbackDefault: DEFAULT, callbackSecret: 'kc-callback-checks-secret' };
const closers: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(closers.map((c) => c())));

const callbackChecks = () => checksFor(spec).filter((c) => c.id.startsWith('reject.callback.'));

/** Every callback check against a gateway at `url`, judged as a live run judges it. */
async function judge(url: string, callbackDefault?: string, strict = false): Promise<Record<string, CheckResult>> {
  const ctx = createCheckContext(spec, { target: 'live', baseUrl: url, apiKey: KEY, callbackDefault, strict });
  const results = await Promise.all(callbackChecks().map((c) => runCheck(c, ctx)));
  return Object.fromEntries(results.map((r) => [r.id.replace('reject.callback.', ''), r]));
}

async function faithful(options: Partial<MockOptions>): Promise<string> {
  const mocks = await startMocks([spec], { clock: new VirtualClock(Date.now()), validKeys: [KEY], ...options });
  closers.push(() => stopMocks(mocks));
  return mocks[0]!.url;
}

async function deviating(deviation: Deviation, options: Partial<MockOptions> = {}): Promise<string> {
  const mock = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), validKeys: [KEY], ...options },
    deviation,
  );
  closers.push(mock.close);
  return mock.url;
}

const statuses = (r: Record<string, CheckResult>) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.status]));

describe('reject.callback.<rule>: the documented callback URL refusals, judged over HTTP as on a live gateway', () => {
  it('one check per documented rule, each risky live (free when refused, billed if accepted)', async () => {
    expect(callbackChecks().map((c) => c.id)).toEqual([
      'reject.callback.no-userinfo',
      'reject.callback.no-fragment',
      'reject.callback.legal-port',
      'reject.callback.same-origin',
      'reject.callback.webhook-not-configured',
    ]);
    for (const c of callbackChecks()) expect(spendClassOf(c, spec), c.id).toBe('risky');
    // a provider whose documents state no such rule has none (the checks are derived from its spec)
    const evolink = checksFor(await loadSpecById('evolink-kling-v3-t2v'));
    expect(evolink.filter((c) => c.id.startsWith('reject.callback.'))).toEqual([]);
  });

  it('a Token with webhooks (--callback-default): every URL rule refused; the unconfigured case skips', async () => {
    const r = await judge(await faithful(CONFIGURED), DEFAULT);
    expect(statuses(r)).toEqual({
      'no-userinfo': 'pass',
      'no-fragment': 'pass',
      'legal-port': 'pass',
      'same-origin': 'pass',
      'webhook-not-configured': 'skip',
    });
    expect(r['same-origin']!.message).toContain('https://example.net/kc-hook');
    expect(r['webhook-not-configured']!.message).toContain('--callback-default');
  }, 60_000);

  it('a Token without webhooks: 400 webhook_not_configured judged with its code; the origin rule skips', async () => {
    const r = await judge(await faithful({}));
    expect(statuses(r)).toEqual({
      'no-userinfo': 'pass',
      'no-fragment': 'pass',
      'legal-port': 'pass',
      'same-origin': 'skip',
      'webhook-not-configured': 'pass',
    });
    expect(r['same-origin']!.message).toContain('--callback-default');
  }, 60_000);

  it('ignoring callback_url fails every check (the port rule, our reading, warns without --strict)', async () => {
    const ignores = (await buildBreaker(spec, { gateway: 'drops-fields', pointers: ['/callback_url'] })).deviation!;
    const configured = await deviating(ignores, CONFIGURED);
    const lenient = await judge(configured, DEFAULT);
    expect(statuses(lenient)).toMatchObject({
      'no-userinfo': 'fail',
      'no-fragment': 'fail',
      'legal-port': 'warn',
      'same-origin': 'fail',
    });
    expect(lenient['no-userinfo']!.findings!.map((f) => f.kind)).toContain('accepted-invalid');
    expect((await judge(configured, DEFAULT, true))['legal-port']!.status).toBe('fail');
    // on a mock target too (where the task the mistake made is seen): the port rule only warns
    const ctx = createCheckContext(spec, {
      target: 'mock',
      baseUrl: configured,
      apiKey: KEY,
      callbackDefault: DEFAULT,
    });
    const port = await runCheck(callbackChecks().find((c) => c.id === 'reject.callback.legal-port')!, ctx);
    expect(port.status, port.message).toBe('warn');
    expect(port.findings!.map((f) => f.kind)).toContain('task-created');
    const unconfigured = await judge(await deviating(ignores));
    expect(unconfigured['webhook-not-configured']!.status).toBe('fail');
  }, 60_000);

  it('a Token without webhooks refused with another code than webhook_not_configured fails on the code', async () => {
    const otherCode: Deviation = {
      response: async (res) => {
        if (res.status !== 400) return res;
        const body = (await res.json()) as { error: { code: string } };
        body.error.code = 'invalid_request';
        return Response.json(body, { status: 400 });
      },
    };
    const r = await judge(await deviating(otherCode));
    expect(r['webhook-not-configured']!.status).toBe('fail');
    expect(r['webhook-not-configured']!.findings!.map((f) => f.kind)).toEqual(['error-code']);
    // the URL rules document no code of their own: any documented 400 code is theirs
    expect(r['no-userinfo']!.status).toBe('pass');
  }, 60_000);
});

describe('run --callback-default: the account default URL the checks read', () => {
  it('is read from the flag (an http(s) URL), else a usage error naming the flag', () => {
    expect(readSettings({ callbackDefault: DEFAULT }).callbackDefault).toBe(DEFAULT);
    for (const bad of ['ftp://hooks.example.com/x', 'not a url', 'https://'])
      expect(() => readSettings({ callbackDefault: bad }), bad).toThrow(/--callback-default/);
    expect(workerSettings({}).callbackDefault).toBeUndefined();
  });
});
