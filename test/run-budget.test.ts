// Money: a live run states its worst-case spend before sending anything, --budget refuses a run that could exceed
// it, and --dry-run lists every request with its documented cost and sends none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileGateway } from '../fixtures/hostile-gateway.ts';
import { startNonconformingGateway } from '../fixtures/nonconforming-gateway.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

let gateway: Awaited<ReturnType<typeof startHostileGateway>>;
beforeAll(async () => {
  // any gateway that counts what reaches it will do: this one answers every API request with a 400
  gateway = await startHostileGateway('echo');
});
afterAll(async () => gateway.close());
// the runs' own history (a later --history in `extra` wins) and report folders: never the repository's reports/
const dir = tempFolder('kc-budget-');
const live = (extra: string[]) =>
  runCli([...liveRunArgs('evolink-kling-v3-t2v', gateway.url, 'KC_BUDGET_KEY'), '--quiet', ...own(extra)], {
    env: { KC_BUDGET_KEY: 'sk-budget-test-key-0123456789' },
  });

const own = (extra: string[]) => [
  '--history',
  join(dir, 'history.jsonl'),
  ...(extra.includes('--report-dir') ? [] : ['--report-dir', tempFolder('kc-budget-run-')]),
  ...extra,
];

describe('spend', () => {
  it('--dry-run prints every request with its documented cost and sends nothing', async () => {
    const before = gateway.requests();
    const r = await live(['--dry-run', '--allow-paid']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/v1\/videos\/generations\s+0\.375 USD/);
    expect(r.stdout).toMatch(/\d+ requests; expected spend [\d.]+ USD; worst case [\d.]+ USD\. Nothing was sent\./);
    expect(gateway.requests()).toBe(before);
  }, 60_000);

  it('--budget fits the plan to the money; exit 2 only when not even the default generation fits', async () => {
    const before = gateway.requests();
    const r = await live(['--budget', '0.3USD', '--allow-paid', '--report-dir', join(dir, 'capped')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('BUDGET');
    expect(r.stderr).toMatch(/not even evolink-kling-v3-t2v's one default generation fits: it costs 0\.375 USD/);
    expect(r.stderr).toContain('raise the run-wide --budget to at least 0.375 USD');
    expect(gateway.requests()).toBe(before);
    // no history: tonight is night 1, the default generation first
    const fresh = join(dir, 'none.jsonl');
    const fitted = await live(['--budget', '1USD', '--allow-paid', '--dry-run', '--json', '--history', fresh]);
    expect(fitted.code, fitted.stderr).toBe(0);
    const plan = JSON.parse(fitted.stdout) as { worstCase: { USD: number }; nights: { picked: string[] }[] };
    expect(plan.worstCase.USD).toBeLessThanOrEqual(1);
    expect(plan.nights[0]!.picked[0]).toBe('default-task');
  }, 60_000);

  it('a run within its budget states the spend first and goes ahead', async () => {
    const r = await live(['--budget', '500USD', '--family', 'reject', '--report-dir', join(dir, 'ok')]);
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).toMatch(/^spend \(documented prices\): expected (0|[\d.]+ USD), worst case [\d.]+ USD/m);
  }, 60_000);

  it('against the non-conforming gateway: --budget stops the run before it could ' +
    'exceed the cap, and --dry-run sends nothing', async () => {
    const key = 'sk-budget-nonconforming-0123456789';
    const nc = await startNonconformingGateway(key);
    try {
      const run = (extra: string[]) =>
        runCli(
          [
            ...liveRunArgs('evolink-kling-v3-t2v', nc.url, 'KC_NC_KEY'),
            '--allow-paid',
            '--quiet',
            '--link-recheck',
            '1',
            ...own(extra),
          ],
          {
            env: { KC_NC_KEY: key },
          },
        );
      const dry = await run(['--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(nc.requests()).toBe(0);
      // a gateway that accepts what it should refuse: the ledger stops sending at the budget (never past it)
      const ncDir = join(dir, 'nc');
      const capped = await run(['--budget', '2USD', '--report-dir', ncDir]);
      expect(capped.code).toBe(1);
      const results = JSON.parse(readFileSync(join(ncDir, 'results.json'), 'utf8')) as {
        run: { spend: { documented: { USD: number }; tasks: number } };
      };
      expect(results.run.spend.documented.USD).toBeLessThanOrEqual(2);
      expect(results.run.spend.tasks).toBeGreaterThan(1);
    } finally {
      await nc.close();
    }
  }, 120_000);

  it('a provider with no published price cannot be run on a budget', async () => {
    const r = await runCli(
      [...liveRunArgs('toapis-kling-3.0-turbo', gateway.url, 'KC_BUDGET_KEY'), '--budget', '5USD', ...own([])],
      { env: { KC_BUDGET_KEY: 'sk-budget-test-key-0123456789' } },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('publish no price for toapis-kling-3.0-turbo');
  }, 60_000);
});
