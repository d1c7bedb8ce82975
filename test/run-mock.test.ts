// The README's main command, as a new user runs it: all providers against the built-in mocks.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../src/core/ajv.ts';
import { runCli } from './run-cli.ts';
import { listSpecIds, loadSpecById } from '../src/spec/load-spec.ts';
import { checksFor } from '../src/checks/registry.ts';
import { tempFolder } from './support/temp-folder.ts';

const require = createRequire(import.meta.url);
const resultsSchema = require('../src/report/results.schema.json') as object;

describe('kling-conformance run --all --target mock', () => {
  it('passes every applicable check for every provider in specs/ and writes ' +
    'results.json, junit.xml and summary.md', async () => {
    const dir = tempFolder('kc-mock-');
    const r = await runCli([
      'run',
      '--all',
      '--target',
      'mock',
      '--report-dir',
      dir,
      '--history',
      join(dir, 'history.jsonl'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`| check | ${listSpecIds().join(' | ')} |`);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      summary: { fail: number; pass: number; error: number };
      run: { providers: unknown[] };
    };
    const validate = createAjv().compile(resultsSchema);
    expect(validate(results), JSON.stringify(validate.errors)).toBe(true);
    expect(results.summary).toMatchObject({ fail: 0, error: 0 });
    expect(results.summary.pass).toBeGreaterThan(100);
    expect(results.run.providers).toHaveLength(listSpecIds().length);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('<testsuites');
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('| defaults.duration |');
    const history = readFileSync(join(dir, 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reportDir: string; summary: { fail: number } });
    expect(history.at(-1)).toMatchObject({ reportDir: dir, summary: { fail: 0 } });
  }, 120_000);

  it('judges your own client through --client: a naive retrying client fails the retry checks', async () => {
    const dir = tempFolder('kc-client-');
    const r = await runCli([
      'run',
      '--provider',
      'toapis-kling-3.0-turbo',
      '--family',
      'retry',
      '--client',
      'fixtures/adapters/naive-retry-adapter.ts',
      '--report-dir',
      dir,
      '--history',
      join(dir, 'history.jsonl'),
    ]);
    expect(r.code).toBe(1);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      run: { client: string };
      results: { id: string; status: string }[];
    };
    expect(
      results.results
        .filter((x) => x.status === 'fail')
        .map((x) => x.id)
        .sort(),
    ).toEqual([
      'retry.400.no_retry',
      'retry.401.no_retry',
      'retry.429.backoff',
      'retry.429.retry_after',
      'retry.500.limit',
      'retry.500.no_duplicate',
    ]);
    // the 429 retry count is only our reading of "e.g. 1s/2s/4s": a departure from it warns
    expect(results.results.find((x) => x.id === 'retry.429.limit')!.status).toBe('warn');
    expect(results.run.client).toContain('naive-retry-adapter.ts');
  }, 60_000);

  it('--json keeps stdout pure JSON; progress (one line per finished check) and paths go to stderr', async () => {
    const dir = tempFolder('kc-json-');
    const r = await runCli([
      'run',
      '--provider',
      'evolink-kling-v3-t2v',
      '--family',
      'auth',
      '--json',
      '--report-dir',
      dir,
      '--history',
      join(dir, 'h.jsonl'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(r.stdout) as { results: { id: string }[] };
    expect(results.results.map((x) => x.id).sort()).toEqual(
      checksFor(await loadSpecById('evolink-kling-v3-t2v'))
        .filter((c) => c.family === 'auth')
        .map((c) => c.id)
        .sort(),
    );
    expect(r.stderr).toMatch(/^pass {2}evolink-kling-v3-t2v auth\.missing_key \(\d+ ms\)$/m);
    expect(r.stderr).toContain('reports written to');
  }, 60_000);

  it('usage errors exit 2', async () => {
    const r = await runCli(['run', '--provider', 'nope']);
    expect(r.code).toBe(2);
    const family = await runCli(['run', '--family', 'nope']);
    expect(family.code).toBe(2);
    expect(family.stderr).toContain('unknown check family');
    const timeout = await runCli(['run', '--timeout', 'soon']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain('--timeout must be a whole number');
    const live = await runCli(['run', '--target', 'live', '--provider', 'evolink-kling-v3-t2v']);
    expect(live.code).toBe(2);
    expect(live.stderr).toContain('--base-url');
  }, 30_000);
});
