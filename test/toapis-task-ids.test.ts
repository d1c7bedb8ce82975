// ToAPIs as its status and webhook pages document it. Task ids: the status page shows tsk_vid_… (a completed task)
// and task_… (the path example) as well as video_…, so a gateway answering with any of them passes every
// shape.poll.* check (no id pattern is documented, none is enforced); the mock is given the id prefix, the checks are
// the ones a live run uses, over HTTP. Callbacks: `validate` refuses a callback_url that is not HTTPS or points at a
// private, loopback or link-local address, as the webhook page says ToAPIs does, nor one with userinfo, a fragment,
// an illegal port (which ports is our reading: a warning unless --strict) or another origin than the Token's default
// callback URL (--callback-default); the mock's create refuses the same URLs, with the same code. And a callback_url
// from a Token without Webhooks configured (a default URL and a secret: mock --callback-default, --callback-secret)
// gets the documented 400 webhook_not_configured.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { runCheck } from '../src/checks/engine.ts';
import { checksFor } from '../src/checks/registry.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { startMocks } from '../src/mock/start-mocks.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { createCheckContext } from '../src/worker/create-context.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'kc-toapis-ids-key';
const closers: (() => Promise<void>)[] = [];
afterAll(async () => Promise.all(closers.map((c) => c())));

describe('ToAPIs task ids as its status page shows them', () => {
  // kling-3.0-turbo: the model that is live (kling-v3-fast is a placeholder whose creates are refused)
  for (const id of ['toapis-kling-3.0-turbo']) {
    it(`${id}: poll bodies whose id is tsk_vid_… or task_… pass every shape.poll.* check`, async () => {
      const documented = await loadSpecById(id);
      for (const prefix of ['tsk_vid_01KRDG4S50', 'task_01K9S419']) {
        const spec = { ...documented, x: { ...documented.x, responses: { ...documented.x.responses } } };
        spec.x.responses.taskIdPrefix = prefix;
        const [mock] = await startMocks([spec], { clock: new VirtualClock(Date.now()), validKeys: [KEY] });
        closers.push(() => mock!.server.close());
        const ctx = createCheckContext(spec, { target: 'mock', baseUrl: mock!.url, apiKey: KEY });
        const checks = checksFor(spec).filter((c) => c.id.startsWith('shape.poll.'));
        expect(checks.length, id).toBeGreaterThan(0);
        const results = await Promise.all(checks.map((c) => runCheck(c, ctx)));
        const tasks = (await (await fetch(`${mock!.url}/__mock/tasks`)).json()) as { id: string; polls: number }[];
        expect(tasks.filter((t) => t.polls > 0 && t.id.startsWith(prefix)).length, `${id} ${prefix}`).toBeGreaterThan(
          0,
        );
        expect(results.map((r) => `${r.id} ${r.status} ${r.message}`)).toEqual(
          results.map((r) => `${r.id} pass ${r.message}`),
        );
      }
    }, 60_000);
  }
});

describe('ToAPIs callback URLs as its webhook page states them', () => {
  it('validate --provider toapis-kling-3.0-turbo refuses a non-HTTPS or internal callback_url', async () => {
    const body = (url: string) => JSON.stringify({ model: 'kling-3.0-turbo', prompt: 'a cat', callback_url: url });
    const validate = (url: string) => runCli(['validate', '--provider', 'toapis-kling-3.0-turbo', '--body', body(url)]);
    for (const [url, why] of [
      ['http://example.com/hook', 'callback_url must use HTTPS'],
      ['https://10.0.0.1/hook', '10.0.0.1 is internal'],
      ['https://[::1]/hook', 'is loopback'],
      ['https://169.254.169.254/hook', 'is link-local'],
    ]) {
      const r = await validate(url!);
      expect(r.code, url).toBe(1);
      expect(r.stdout, url).toContain('/callback_url');
      expect(r.stdout, url).toContain(why);
    }
    const ok = await validate('https://hooks.example.com/kling?order=1');
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
  });
});

describe('ToAPIs callback URL rules on userinfo, fragments, ports and origin (callbacks.urlRules)', () => {
  const ID = 'toapis-kling-3.0-turbo';
  // one URL that breaks all four rules
  const BAD = 'https://user:pw@other.example.com:25/cb#done';
  const DEFAULT = 'https://hooks.example.com/kling';
  // the Token's webhook settings: a default URL and a secret (one without the other is exit 2)
  const CONFIGURED = ['--callback-default', DEFAULT, '--callback-secret', 'kc-test-webhook-secret'];
  const body = (url: string) => JSON.stringify({ model: 'kling-3.0-turbo', prompt: 'a cat', callback_url: url });
  type Out = {
    valid: boolean;
    errors: { rule?: string }[];
    warnings: { rule?: string }[];
    notJudged: { rule: string; why: string }[];
  };
  const validate = async (flags: string[], url = BAD, specs: string[] = []) => {
    const r = await runCli([...specs, 'validate', '--provider', ID, '--json', '--body', body(url), ...flags]);
    return { code: r.code, out: JSON.parse(r.stdout) as Out };
  };
  const rules = (d: { rule?: string }[]) => d.map((e) => e.rule).sort();

  it('validate names every broken rule; the port rule (our reading) warns unless --strict', async () => {
    const strict = await validate(['--strict', ...CONFIGURED]);
    expect(strict.code).toBe(1);
    expect(rules(strict.out.errors)).toEqual([
      'callback.legal-port',
      'callback.no-fragment',
      'callback.no-userinfo',
      'callback.same-origin',
    ]);
    const lenient = await validate([]);
    expect(lenient.code).toBe(1);
    expect(rules(lenient.out.errors)).toEqual(['callback.no-fragment', 'callback.no-userinfo']);
    expect(rules(lenient.out.warnings)).toEqual(['callback.legal-port']);
    expect(lenient.out.notJudged.map((n) => n.rule)).toEqual([
      'callback.same-origin',
      'callback.requiresConfiguredWebhook',
    ]);
    // the account's webhook settings are not in the body: said, never judged
    expect(lenient.out.notJudged[1]).toEqual({
      rule: 'callback.requiresConfiguredWebhook',
      why:
        'the account must have webhook settings (--callback-default, --callback-secret), else 400 ' +
        'webhook_not_configured',
    });
    const kept = await validate(['--strict', ...CONFIGURED], `${DEFAULT}/done?order=7`);
    expect(kept.code, JSON.stringify(kept.out)).toBe(0);
  }, 60_000);

  it('the rules are data: the same URL passes once callbacks.urlRules is taken out of the spec', async () => {
    const specs = tempFolder('kc-url-rules-');
    const doc = parseDocument(readFileSync(join('specs', ID, 'openapi.yaml'), 'utf8'));
    doc.deleteIn(['x-conformance', 'callbacks', 'urlRules']);
    mkdirSync(join(specs, ID));
    writeFileSync(join(specs, ID, 'openapi.yaml'), String(doc));
    const r = await validate(['--strict', ...CONFIGURED], BAD, ['--specs', specs]);
    expect(r.code, JSON.stringify(r.out)).toBe(0);
    expect(r.out.errors).toEqual([]);
  }, 60_000);

  const mockCreate = async (options: { callbackDefault?: string; callbackSecret?: string }) => {
    const spec = await loadSpecById(ID);
    const [mock] = await startMocks([spec], { clock: new VirtualClock(Date.now()), validKeys: [KEY], ...options });
    closers.push(() => mock!.server.close());
    return (url: string) =>
      fetch(`${mock!.url}/v1/videos/generations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: body(url),
      });
  };

  it("the mock's create refuses what validate refuses (one validator) and takes a URL keeping the rules", async () => {
    const create = await mockCreate({ callbackDefault: DEFAULT, callbackSecret: 'kc-test-webhook-secret' });
    for (const [url, words] of [
      ['https://user@hooks.example.com/kling', 'userinfo'],
      ['https://hooks.example.com/kling#x', 'fragment'],
      ['https://other.example.com/kling', 'scheme, host and port'],
    ] as const) {
      const r = await create(url);
      expect(r.status, url).toBe(400);
      expect(await r.text(), url).toContain(words);
    }
    expect((await create(`${DEFAULT}/done?order=7`)).status).toBe(200);
  }, 60_000);

  it('a Token without Webhooks (no default URL, or no secret) answers 400 webhook_not_configured', async () => {
    for (const options of [{}, { callbackDefault: DEFAULT }, { callbackSecret: 'kc-test-webhook-secret' }]) {
      const create = await mockCreate(options);
      const r = await create(`${DEFAULT}/done`);
      expect(r.status, JSON.stringify(options)).toBe(400);
      const answer = (await r.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).toBe('webhook_not_configured');
      expect(answer.error.message).toMatch(options.callbackDefault ? /--callback-secret/ : /--callback-default/);
      // the URL's own rules are judged first: a broken one is refused for itself
      const userinfo = (await (await create('https://user@hooks.example.com/kling')).json()) as typeof answer;
      expect(userinfo.error.code).toBe('invalid_request');
      expect(userinfo.error.message).toContain('userinfo');
    }
  }, 60_000);
});
