// Money: a live run states its worst-case spend before sending anything, --budget refuses a run that could exceed
// it, and --dry-run lists every request with its documented cost and sends none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileGateway } from '../fixtures/hostile-gateway.ts';
import { startNonconformingGateway } from '../fixtures/nonconforming-gateway.ts';
import { liveRunArgs, runCli } from './run-cli.ts';

let gateway: Awaited<ReturnType<typeof startHostileGateway>>;
beforeAll(async () => {
  // any gateway that counts what reaches it will do: this one answers every API request with a 400
  gateway = await startHostileGateway('echo');
});
afterAll(async () => gateway.close());
const live = (extra: string[]) =>
  runCli([...liveRunArgs('evolink-kling-v3-t2v', gateway.url, 'KC_BUDGET_KEY'), '--quiet', ...extra], {
    env: { KC_BUDGET_KEY: 'sk-budget-test-key-0123456789' },
  });

describe('spend', () => {
  it('--dry-run prints every request with its documented cost and sends nothing', async () => {
    const before = gateway.requests();
    const r = await live(['--dry-run', '--allow-paid']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/v1\/videos\/generations\s+0\.375 USD/);
    expect(r.stdout).toMatch(/\d+ requests; expected spend [\d.]+ USD; worst case [\d.]+ USD\. Nothing was sent\./);
    expect(gateway.requests()).toBe(before);
  }, 60_000);

  it('--budget refuses a run whose worst case exceeds it, before a single request', async () => {
    const before = gateway.requests();
    const r = await live(['--budget', '1USD', '--allow-paid', '--report-dir', `/tmp/kc-budget-${process.pid}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('BUDGET');
    expect(r.stderr).toMatch(/could spend [\d.]+ USD \(every create accepted\), over the 1 USD budget/);
    expect(gateway.requests()).toBe(before);
  }, 60_000);

  it('a run within its budget states the spend first and goes ahead', async () => {
    const r = await live([
      '--budget',
      '500USD',
      '--family',
      'reject',
      '--report-dir',
      `/tmp/kc-budget-ok-${process.pid}`,
    ]);
    expect([0, 1]).toContain(r.code);
    expect(r.stderr).toMatch(/^spend \(documented prices\): expected [\d.]+ USD, worst case [\d.]+ USD/m);
  }, 60_000);

  it('against the non-conforming gateway: --budget stops the run before it could ' +
    'exceed the cap, and --dry-run sends nothing', async () => {
    const key = 'sk-budget-nonconforming-0123456789';
    const nc = await startNonconformingGateway(key);
    try {
      const run = (extra: string[]) =>
        runCli([...liveRunArgs('evolink-kling-v3-t2v', nc.url, 'KC_NC_KEY'), '--allow-paid', '--quiet', ...extra], {
          env: { KC_NC_KEY: key },
        });
      const dry = await run(['--dry-run']);
      expect(dry.code, dry.stderr).toBe(0);
      expect(nc.requests()).toBe(0);
      // the worst case (every create accepted, as this gateway accepts many invalid ones) is over 2 USD: refused
      const capped = await run(['--budget', '2USD', '--report-dir', `/tmp/kc-budget-nc-${process.pid}`]);
      expect(capped.code).toBe(2);
      expect(capped.stderr).toMatch(/BUDGET.*over the 2 USD budget/s);
      expect(nc.requests()).toBe(0);
    } finally {
      await nc.close();
    }
  }, 120_000);

  it('a provider with no published price cannot be run on a budget', async () => {
    const r = await runCli(
      [...liveRunArgs('toapis-kling-3.0-turbo', gateway.url, 'KC_BUDGET_KEY'), '--budget', '5USD'],
      { env: { KC_BUDGET_KEY: 'sk-budget-test-key-0123456789' } },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('publish no price for toapis-kling-3.0-turbo');
  }, 60_000);
});
