// A base URL is the gateway judged, never ignored (newcomer 7, F3): `run --base-url URL` without a target is a live run
// against URL (its plan, its header, its report), an explicit mock target with a base URL is exit 2 naming both, a
// mock plan bills nothing, and every run says its target and URL before anything else. A live run whose settings are
// refused prints nothing as if it had started (F8).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const P = 'evolink-kling-v3-t2v';
const KEY = 'sk-run-target-0123456789abcdef';
const URL_GIVEN = 'https://example.invalid';
const dryRun = (...more: string[]) => [
  ...['run', '--provider', P, '--dry-run', '--checks', 'auth.*', 'defaults.*'],
  ...more,
];

describe('run --base-url without --target', () => {
  it('plans a live run against that URL: the header names it, no request goes to a mock', async () => {
    const r = await runCli(dryRun('--base-url', URL_GIVEN), { timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`target live: ${P} at ${URL_GIVEN}`);
    expect(r.stdout).toContain(`POST ${URL_GIVEN}/v1/videos/generations`);
    expect(r.stdout).not.toContain('127.0.0.1');
    // no --allow-paid: the paid creates are not sent, and the plan says it spends nothing
    expect(r.stdout).toMatch(/expected spend 0; worst case 0\./);
  }, 240_000);

  it('--json: target live, and no bill claimed for what is not allowed', async () => {
    const r = await runCli(dryRun('--base-url', URL_GIVEN, '--json'), { timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(plan).toMatchObject({ target: 'live', mayBill: false, allowPaid: false, expected: {} });
    expect(plan).not.toHaveProperty('billed');
  }, 240_000);

  it('with --target mock: exit 2 naming both settings and the fix, nothing planned', async () => {
    const r = await runCli(dryRun('--target', 'mock'), {
      env: { KLING_CONFORMANCE_BASE_URL: URL_GIVEN },
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'USAGE: target mock (--target on the command line) with a base URL (KLING_CONFORMANCE_BASE_URL): a mock run ' +
        `starts the built-in mocks and sends nothing to ${URL_GIVEN}`,
    );
    expect(r.stderr).toContain('to run the built-in mocks, unset KLING_CONFORMANCE_BASE_URL');
  }, 180_000);
});

describe('a mock plan', () => {
  it('bills nothing: every request free, no spend, its mock URL in the header', async () => {
    const r = await runCli(dryRun('--target', 'mock'), { timeoutMs: 180_000 });
    expect(r.code, r.stderr).toBe(0);
    const head = new RegExp(`^target mock: the built-in mock of ${P} at http://127\\.0\\.0\\.1:\\d+; no gateway`);
    expect(r.stdout.split('\n')[0]).toMatch(head);
    const rows = r.stdout.split('\n').filter((l) => /^\d+ {2,}/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/ free\s*$/);
    expect(r.stdout).not.toMatch(/USD|spend/);
    expect(r.stdout).toContain('7 requests to the built-in mock: a mock bills nothing');
    const json = await runCli(dryRun('--target', 'mock', '--json'), { timeoutMs: 180_000 });
    expect(JSON.parse(json.stdout)).toMatchObject({ target: 'mock', mayBill: false, expected: {}, worstCase: {} });
  }, 360_000);
});

describe('a run says its target and URL', () => {
  let gateway: RunningMock[] = [];
  beforeAll(async () => {
    gateway = await startMocks([await loadSpecById(P)], { clock: new VirtualClock(Date.now()), validKeys: [KEY] });
  });
  afterAll(async () => stopMocks(gateway));

  it('--base-url alone runs live against it: stderr first, then the summary and results.json', async () => {
    const dir = tempFolder('kc-run-target-');
    const url = gateway[0]!.url;
    const r = await runCli(
      [
        'run',
        '--provider',
        P,
        '--base-url',
        url,
        '--api-key-env',
        'KC_TARGET_KEY',
        '--checks',
        'auth.invalid_key',
      ].concat(['--report-dir', dir, '--history', join(dir, 'history.jsonl')]),
      { env: { KC_TARGET_KEY: KEY }, timeoutMs: 180_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe(`target live: ${P} at ${url}`);
    expect(r.stdout).toContain(`target live at ${url}`);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.run).toMatchObject({ target: 'live', providers: [{ id: P, baseUrl: url }] });
  }, 240_000);

  it('a live run refused for its settings (no key) prints nothing as if it had started', async () => {
    const r = await runCli(
      ['run', '--provider', P, '--base-url', URL_GIVEN, '--api-key-env', 'KC_TARGET_UNSET', '--checks', 'auth.*'],
      { env: { KC_TARGET_UNSET: undefined }, timeoutMs: 120_000 },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CONFIG: live runs read the API key from an environment variable');
    expect(r.stderr).not.toMatch(/spend|target live/);
  }, 180_000);
});
