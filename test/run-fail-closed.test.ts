// Fail closed: a run that could not judge what it planned is a harness error (exit 2) whose report still lists
// what came back — never "0 passed, 0 failed" with exit 0.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../src/run/run-conformance.ts';
import { defaultSpecsDir } from '../src/spec/load-spec.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

type Report = {
  run: { incomplete?: { missing: number; problems: string[] } };
  summary: { error: number; pass: number };
  results: { id: string; status: string; message: string }[];
};
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Report;

describe('a run that cannot judge what it planned', () => {
  it('exits 2 when --client exports no adapter: refused before anything starts, with the file and fix', async () => {
    const dir = tempFolder('kc-noadapter-');
    const r = await runCli([
      'run',
      '--provider',
      'toapis-kling-3.0-turbo',
      '--family',
      'retry',
      '--client',
      'fixtures/adapters/no-export-adapter.ts',
      '--report-dir',
      dir,
      '--history',
      join(dir, 'history.jsonl'),
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(2);
    // the runner loads the module itself (to read the providers it declares) before any mock or worker starts
    expect(r.stderr).toMatch(/USAGE \S*no-export-adapter\.ts: \S*no-export-adapter\.ts must export `adapter`/);
    expect(r.stderr).toContain('fix: export const adapter');
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
  }, 60_000);

  it('exits 2 when a worker is killed mid-run (SIGKILL), and keeps the results of ' +
    'the suites that finished', async () => {
    const dir = tempFolder('kc-killed-');
    const r = await runCli(
      [
        'run',
        '--provider',
        'evolink-kling-v3-t2v',
        '--family',
        'retry',
        'auth',
        '--client',
        'fixtures/adapters/killed-worker-adapter.ts',
        '--report-dir',
        dir,
        '--history',
        join(dir, 'history.jsonl'),
        '--quiet',
      ],
      { timeoutMs: 90_000 },
    );
    expect(r.code, r.stderr).toBe(2);
    const report = read(dir);
    expect(report.run.incomplete!.missing).toBeGreaterThan(0);
    // the auth suite ran in another worker: its results came back and are reported
    const auth = report.results.filter((x) => x.id.startsWith('auth.') && x.status !== 'skip');
    expect(auth.length).toBeGreaterThanOrEqual(2);
    expect(auth.every((x) => x.status === 'pass')).toBe(true);
    expect(report.results.filter((x) => x.id.startsWith('retry.') && x.status === 'error').length).toBeGreaterThan(0);
  }, 120_000);

  it('refuses to run when no check applies (a run that judges nothing is not a pass)', async () => {
    await expect(
      runConformance({
        providers: ['toapis-kling-3.0-turbo'],
        target: 'mock',
        specsDir: defaultSpecsDir(),
        families: [],
      }),
    ).rejects.toMatchObject({ code: 'NO_CHECKS' });
  });
});
