import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAjv } from '../src/core/ajv.ts';
import type { RunComparison } from '../src/drift/run-changes.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const require = createRequire(import.meta.url);
const validateDrift = createAjv().compile(require('../src/drift/drift.schema.json') as object);
const P = 'toapis-kling-3.0-turbo';

/** A real run against the built-in mock; `other`: the mock follows the documents' other claims (a default of 6). */
async function mockRun(dir: string, other: boolean): Promise<void> {
  const run = await runCli(
    [
      'run',
      '--provider',
      P,
      '--target',
      'mock',
      ...(other ? ['--mock-claims', 'other'] : []),
      '--family',
      'defaults',
      'reject',
      '--report-dir',
      dir,
      '--history',
      join(dir, 'history.jsonl'),
      '--quiet',
    ],
    { timeoutMs: 110_000 },
  );
  expect([0, 1], run.stderr).toContain(run.code);
}

describe('drift --between: what changed in the observed behaviour from last night to tonight', () => {
  const root = tempFolder('kc-between-');
  const [last, tonight] = [join(root, 'last'), join(root, 'tonight')];
  beforeAll(async () => {
    await mockRun(last, false);
    await mockRun(tonight, true);
  }, 240_000);

  it('lists the default that changed (5 → 6), its check, the documented value and source, the direction', async () => {
    const r = await runCli(['drift', '--between', last, join(tonight, 'results.json'), '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as RunComparison;
    expect(validateDrift(report), JSON.stringify(validateDrift.errors)).toBe(true);
    const duration = report.changes.find((c) => c.provider === P && c.fact === 'default.duration')!;
    expect(duration).toMatchObject({
      check: 'defaults.duration',
      change: 'changed',
      before: { value: 5, alignment: 'chosen' },
      after: { value: 6, alignment: 'other-claim' },
      documented: 5,
      direction: 'between-claims',
      severity: 'WARN',
    });
    expect(duration.source).toContain('duration 5');
    expect(duration.after!.matches!.join()).toContain('Defaults to 6');
    // the refusals' code follows the other documented name; their status stays 400 (unchanged, not listed)
    const code = report.changes.find((c) => c.fact === 'answer.reject.prompt_missing.code')!;
    expect(code).toMatchObject({ before: { value: 'invalid_request' }, after: { value: 'invalid_request_error' } });
    expect(report.changes.some((c) => c.fact.endsWith('.status'))).toBe(false);
    expect(report.unchanged).toBeGreaterThan(0);
    // both runs recorded the spec they read, and it is the same: only the mock's switch of claims is noted
    expect(report.notes).toEqual([expect.stringContaining('the mocks followed different claims')]);
    expect(report.changes.some((c) => c.specChanged)).toBe(false);
    // nothing left the documents: --fail-on ERR passes
    const err = await runCli(['drift', '--between', last, tonight, '--fail-on', 'ERR']);
    expect(err.code, err.stderr).toBe(0);
  });

  it('markdown for people: the runs, the note, and each change under its provider', async () => {
    const r = await runCli(['drift', '--between', last, tonight]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('# Observed behaviour between two runs');
    expect(r.stdout).toContain(`## ${P}`);
    expect(r.stdout).toMatch(/- \*\*default\.duration\*\* WARN between-claims \(defaults\.duration\): 5 → 6/);
    expect(r.stdout).toMatch(/ {2}- documented: `5` — .*duration 5/);
    // the same run twice: nothing changed, exit 0
    const same = await runCli(['drift', '--between', last, last]);
    expect(same.code, same.stdout).toBe(0);
    expect(same.stdout).toContain('No behaviour changed.');
  });

  it('a missing, corrupt or wrong-kind file is exit 2: INPUT, the file, the JSON pointer and the fix', async () => {
    const corrupt = join(root, 'corrupt.json');
    writeFileSync(corrupt, '{"tool": {"name": "kling-conformance"}, "run": ');
    const har = join(root, 'traffic.har');
    writeFileSync(har, JSON.stringify({ log: { version: '1.2', entries: [] } }));
    for (const [file, where] of [
      [join(root, 'gone.json'), `${join(root, 'gone.json')}: there is no`],
      [corrupt, `${corrupt}: is not JSON`],
      [har, `${har}#/tool/name: is a HAR recording`],
    ] as const) {
      const r = await runCli(['drift', '--between', last, file]);
      expect(r.code, file).toBe(2);
      expect(r.stderr).toContain(`INPUT ${where}`);
      expect(r.stderr).toMatch(/fix: (check the path; )?pass the results.json a run wrote/);
    }
    const one = await runCli(['drift', '--between', last]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('--between takes two runs');
    const mixed = await runCli(['drift', '--results', join(last, 'results.json'), '--fail-on', 'ERR']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('--fail-on applies to drift --between');
  });
});
