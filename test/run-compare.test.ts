// Nightly paging: --compare-to last and --fail-on new. Only checks that newly fail page; the summary starts with
// what changed since the reference run; every line of history records each check's status.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

describe('run --compare-to last --fail-on new', () => {
  it('exits 1 on a night with a new failure and 0 on a night with only old ones', async () => {
    const dir = tempFolder('kc-nightly-');
    const history = join(dir, 'history.jsonl');
    const night = (n: number, client?: string) =>
      runCli([
        'run',
        '--provider',
        'toapis-kling-3.0-turbo',
        '--family',
        'retry',
        '--report-dir',
        join(dir, `night-${n}`),
        '--history',
        history,
        '--compare-to',
        'last',
        '--fail-on',
        'new',
        '--quiet',
        ...(client ? ['--client', client] : []),
      ]);
    const first = await night(1);
    expect(first.code, first.stderr).toBe(0);
    const second = await night(2, 'fixtures/adapters/naive-retry-adapter.ts');
    expect(second.code, second.stderr).toBe(1); // a client regression: newly failing
    const summary = readFileSync(join(dir, 'night-2', 'summary.md'), 'utf8');
    expect(summary.split('\n').slice(0, 6).join('\n')).toContain('## Changes since run');
    expect(summary).toMatch(/newly failing \(\d+\): `toapis-kling-3.0-turbo retry.400.no_retry`/);
    const third = await night(3, 'fixtures/adapters/naive-retry-adapter.ts');
    expect(third.code, third.stderr).toBe(0); // the same failures: nothing new to page on
    expect(readFileSync(join(dir, 'night-3', 'summary.md'), 'utf8')).toContain('newly failing (0): none');
    const lines = readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { checks: Record<string, { status: string }> });
    expect(lines).toHaveLength(3);
    expect(lines[1]!.checks['toapis-kling-3.0-turbo retry.400.no_retry']!.status).toBe('fail');
    // without --fail-on new the same night fails the gate
    const any = await runCli([
      'run',
      '--provider',
      'toapis-kling-3.0-turbo',
      '--family',
      'retry',
      '--report-dir',
      join(dir, 'night-4'),
      '--history',
      history,
      '--client',
      'fixtures/adapters/naive-retry-adapter.ts',
      '--quiet',
    ]);
    expect(any.code).toBe(1);
  }, 120_000);
});
