// ToAPIs as its status and webhook pages document it. Task ids: the status page shows tsk_vid_… (a completed task)
// and task_… (the path example) as well as video_…, so a gateway answering with any of them passes every
// shape.poll.* check (no id pattern is documented, none is enforced); the mock is given the id prefix, the checks are
// the ones a live run uses, over HTTP. Callbacks: `validate` refuses a callback_url that is not HTTPS or points at a
// private, loopback or link-local address, as the webhook page says ToAPIs does.
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/engine.ts';
import { checksFor } from '../src/checks/registry.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { startMocks } from '../src/mock/start-mocks.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { createCheckContext } from '../src/worker/create-context.ts';
import { runCli } from './run-cli.ts';

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
