// Schemathesis-style selection and safety: --checks / --exclude-checks globs, --max-failures, -H extra headers.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globToRegExp, isSelected } from '../src/checks/select-checks.ts';
import { startNonconformingGateway } from '../fixtures/nonconforming-gateway.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const read = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
    results: { id: string; status: string; message: string }[];
  };

describe('check selection', () => {
  it('globs match check ids, dots included', () => {
    expect(globToRegExp('retry.429.*').test('retry.429.backoff')).toBe(true);
    expect(globToRegExp('auth.*').test('authx.y')).toBe(false);
    // picomatch's braces, classes and single-character wildcards
    expect(globToRegExp('retry.{429,500}.limit').test('retry.500.limit')).toBe(true);
    expect(globToRegExp('retry.[45]00.*').test('retry.400.no_retry')).toBe(true);
    expect(globToRegExp('retry.?00.*').test('retry.429.backoff')).toBe(false);
    expect(
      isSelected(
        { checks: ['auth.*', 'defaults.duration'], excludeChecks: ['auth.expired'] },
        { id: 'auth.expired', family: 'auth' },
      ),
    ).toBe(false);
    expect(isSelected({ checks: ['auth.*'] }, { id: 'auth.missing_key', family: 'auth' })).toBe(true);
  });

  it('--checks and --exclude-checks run exactly the matching checks', async () => {
    const dir = tempFolder('kc-sel-');
    const r = await runCli([
      'run',
      '--provider',
      'evolink-kling-v3-t2v',
      '--checks',
      'auth.*',
      'lifecycle.unknown_task',
      '--exclude-checks',
      'auth.invalid_key',
      '--report-dir',
      dir,
      '--history',
      join(dir, 'h.jsonl'),
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(
      read(dir)
        .results.map((x) => x.id)
        .sort(),
    ).toEqual([
      'auth.expired',
      'auth.malformed',
      'auth.missing_key',
      'auth.not_yet_valid',
      'auth.poll_missing_key',
      'lifecycle.unknown_task',
    ]);
    const none = await runCli(['run', '--provider', 'evolink-kling-v3-t2v', '--checks', 'nothing.*', '--quiet']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('NO_CHECKS');
  }, 60_000);

  it('--max-failures stops a live run after that many failures: the rest are skipped ' +
    'saying why, exit 1 (not incomplete)', async () => {
    const key = 'sk-maxfail-0123456789abcdef';
    const gateway = await startNonconformingGateway(key);
    try {
      const dir = tempFolder('kc-maxfail-');
      const r = await runCli(
        [
          ...liveRunArgs('evolink-kling-v3-t2v', gateway.url, 'KC_MF_KEY'),
          // the reject checks' creates (forbidden bodies) are sent without a budget
          '--allow-risky',
          '--family',
          'auth',
          'reject',
          '--max-failures',
          '1',
          '--report-dir',
          dir,
          '--history',
          join(dir, 'h.jsonl'),
          '--quiet',
        ],
        { env: { KC_MF_KEY: key } },
      );
      expect(r.code, r.stderr).toBe(1);
      const results = read(dir).results;
      expect(results.filter((x) => x.status === 'fail' || x.status === 'error').length).toBeGreaterThanOrEqual(1);
      expect(results.some((x) => x.status === 'skip' && x.message === 'not run: --max-failures 1 reached')).toBe(true);
    } finally {
      await gateway.close();
    }
  }, 90_000);

  it('-H adds a header to every request and its value never reaches a report', async () => {
    const dir = tempFolder('kc-h-');
    const secret = 'route-token-8c1f0e9a7b6d5c4e';
    // a gateway that records what reaches it and refuses everything
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers['x-route'] as string | undefined);
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":{"code":"unauthorized","message":"no"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await runCli(
      [
        ...liveRunArgs('evolink-kling-v3-t2v', url, 'KC_H_KEY'),
        '--checks',
        'auth.missing_key',
        '-H',
        `X-Route: ${secret}`,
        '--report-dir',
        dir,
        '--history',
        join(dir, 'h.jsonl'),
      ],
      { env: { KC_H_KEY: 'sk-h-0123456789abcdef' } },
    );
    server.close();
    expect([0, 1], r.stderr).toContain(r.code);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((v) => v === secret)).toBe(true);
    for (const f of ['results.json', 'summary.md', 'junit.xml'])
      expect(readFileSync(join(dir, f), 'utf8')).not.toContain(secret);
    expect(r.stdout + r.stderr).not.toContain(secret);
    const bad = await runCli(['run', '--provider', 'evolink-kling-v3-t2v', '-H', 'no colon here', '--quiet']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain('no colon here');
  }, 60_000);
});
