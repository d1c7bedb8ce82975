// What a live run sends before its checks is part of its plan: the reachability GET and the create route's probe (the
// documented example POSTed without a key, TARGET_NOT_FOUND on a 404/405). The dry run lists both as free, with why;
// the run's ledger and results.json record them; the probe's answer is auth.missing_key's evidence, so the no-key
// create goes out once; and the gateway sees exactly the requests the dry run listed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import resultsSchema from '../src/report/results.schema.json' with { type: 'json' };
import { createAjv } from '../src/core/ajv.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { startDeviatingMock } from './support/deviating-mock.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-before-checks-0123456789abcdef';
const PROVIDER = 'evolink-kling-v3-t2v';
const closers: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(closers.map((c) => c())));

/** EvoLink's faithful mock on loopback, noting every request it is sent (method, path, whether it carried a key). */
async function countingGateway() {
  const seen: { method: string; path: string; keyed: boolean }[] = [];
  const spec = await loadSpecById(PROVIDER);
  const mock = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), validKeys: [KEY] },
    {
      request: (req) => {
        const { pathname } = new URL(req.url);
        seen.push({ method: req.method, path: pathname, keyed: Boolean(req.headers.get('authorization')) });
        return req;
      },
    },
  );
  closers.push(mock.close);
  return { url: mock.url, seen, createPath: spec.create.path };
}

type PlanJson = { requests: { check: string; method: string; url: string; cost: string; beforeChecks?: string }[] };

describe('the requests a live run sends before its checks', () => {
  it('are listed by the dry run, recorded in the ledger and report, and the no-key create is sent once', async () => {
    const gateway = await countingGateway();
    const dir = tempFolder('kc-before-checks-');
    const args = [...liveRunArgs(PROVIDER, gateway.url, 'KC_BEFORE_KEY'), '--family', 'auth', 'shape'];
    const common = ['--history', join(dir, 'history.jsonl'), '--poll-interval', '1', '--timeout', '600'];
    const env = { env: { KC_BEFORE_KEY: KEY }, timeoutMs: 600_000 };

    const dry = await runCli([...args, ...common, '--dry-run', '--json'], env);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as PlanJson;
    expect(gateway.seen).toEqual([]);
    const [reach, route] = plan.requests;
    expect(reach).toMatchObject({ check: 'target.reachable', method: 'GET', url: gateway.url, cost: 'free' });
    expect(route).toMatchObject({ check: 'target.create_route', method: 'POST', cost: 'free' });
    expect(route!.url).toBe(`${gateway.url}${gateway.createPath}`);
    expect(route!.beforeChecks).toMatch(/without a key .*TARGET_NOT_FOUND.*free.*auth\.missing_key's evidence/);
    // the probe is auth.missing_key's request: the check does not list (or send) its own
    expect(plan.requests.filter((r) => r.check === 'auth.missing_key')).toEqual([]);
    const table = await runCli([...args, ...common, '--dry-run'], env);
    expect(table.stdout).toMatch(/Sent before the checks:\n- #1 target\.reachable: .*\n- #2 target\.create_route: /);

    const r = await runCli([...args, ...common, '--report-dir', dir, '--quiet'], env);
    expect(r.code, r.stderr).toBe(0);
    // the gateway saw exactly what the dry run listed, and the no-key create once
    expect(gateway.seen.length).toBe(plan.requests.length);
    const noKeyCreates = gateway.seen.filter((s) => s.method === 'POST' && s.path === gateway.createPath && !s.keyed);
    expect(noKeyCreates.length).toBe(plan.requests.filter((q) => q.check === 'target.create_route').length);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as unknown;
    const validate = createAjv().compile(resultsSchema);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const results = json as {
      run: { beforeChecks: { check: string; status?: number }[] };
      results: { id: string; status: string }[];
    };
    expect(results.run.beforeChecks.map((b) => b.check)).toEqual(['target.reachable', 'target.create_route']);
    expect(results.run.beforeChecks[1]!.status).toBe(401);
    expect(results.results.find((x) => x.id === 'auth.missing_key')!.status).toBe('pass');
    const ledger = readFileSync(join(dir, 'ledger.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const free = ledger.filter((e: { kind: string }) => e.kind === 'free');
    expect(free.map((e: { check: string }) => e.check)).toEqual(['target.reachable', 'target.create_route']);
    expect(JSON.stringify(ledger)).not.toContain(KEY);
  }, 900_000);
});
