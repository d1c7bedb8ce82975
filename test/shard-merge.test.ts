// Scale out: `run --shard i/n` runs a share of the suite files (vitest's sharding) and `merge` joins the shards into
// the results, JUnit and summary one run would have written. Proven against one unsharded run of the same seed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

type Results = {
  run: { shard?: string; mergedFrom?: string[]; incomplete?: unknown };
  results: { provider: string; id: string; status: string; findings?: { kind: string }[] }[];
  summary: Record<string, unknown>;
};
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
const verdicts = (r: Results) =>
  r.results.map((x) => `${x.provider} ${x.id} ${x.status} ${(x.findings ?? []).map((f) => f.kind).join(',')}`).sort();
const junitCounts = (dir: string) =>
  /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/
    .exec(readFileSync(join(dir, 'junit.xml'), 'utf8'))!
    .slice(1);

describe('sharded runs', () => {
  it('two shards merged equal one run: every (provider, check) once, the same ' +
    'verdicts, counts and JUnit totals', async () => {
    const root = tempFolder('kc-shard-');
    const base = [
      'run',
      '--provider',
      'evolink-kling-v3-t2v',
      'fal-kling-v3-standard-t2v',
      '--seed',
      '7',
      '--history',
      join(root, 'h.jsonl'),
      '--quiet',
    ];
    const [one, a, b] = await Promise.all([
      runCli([...base, '--report-dir', join(root, 'one')], { timeoutMs: 120_000 }),
      runCli([...base, '--shard', '1/2', '--report-dir', join(root, 'a')], { timeoutMs: 120_000 }),
      runCli([...base, '--shard', '2/2', '--report-dir', join(root, 'b')], { timeoutMs: 120_000 }),
    ]);
    for (const r of [one, a, b]) expect(r.code, r.stderr).toBe(0);
    expect(read(join(root, 'a')).run.shard).toBe('1/2');
    // each shard answers only for its own suite files: neither is a whole run, neither is incomplete
    expect(read(join(root, 'a')).results.length).toBeLessThan(read(join(root, 'one')).results.length);
    expect(read(join(root, 'a')).run.incomplete).toBeUndefined();
    const merged = await runCli([
      'merge',
      join(root, 'a'),
      join(root, 'b'),
      '--report-dir',
      join(root, 'merged'),
      '--quiet',
    ]);
    expect(merged.code, merged.stderr).toBe(0);
    const m = read(join(root, 'merged'));
    expect(verdicts(m)).toEqual(verdicts(read(join(root, 'one'))));
    expect(m.run.mergedFrom).toHaveLength(2);
    for (const k of ['total', 'pass', 'fail', 'warn', 'info', 'skip', 'error'])
      expect(m.summary[k], k).toBe(read(join(root, 'one')).summary[k]);
    expect(junitCounts(join(root, 'merged'))).toEqual(junitCounts(join(root, 'one')));
  }, 180_000);

  it('refuses overlapping shards and shards of different runs, and a bad --shard', async () => {
    const root = tempFolder('kc-shard-bad-');
    const r = await runCli([
      'run',
      '--provider',
      'evolink-kling-v3-t2v',
      '--checks',
      'auth.missing_key',
      '--report-dir',
      join(root, 'x'),
      '--history',
      join(root, 'h.jsonl'),
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const twice = await runCli(['merge', join(root, 'x'), join(root, 'x'), '--report-dir', join(root, 'm')]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('shards overlap');
    const other = await runCli([
      'run',
      '--provider',
      'evolink-kling-v3-t2v',
      '--checks',
      'auth.invalid_key',
      '--seed',
      '9',
      '--report-dir',
      join(root, 'y'),
      '--history',
      join(root, 'h.jsonl'),
      '--quiet',
    ]);
    expect(other.code).toBe(0);
    const mixed = await runCli(['merge', join(root, 'x'), join(root, 'y'), '--report-dir', join(root, 'm')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/shard of another run: its seed is 9, not 1/);
    const bad = await runCli([
      'run',
      '--shard',
      '3/2',
      '--report-dir',
      join(root, 'z'),
      '--history',
      join(root, 'h.jsonl'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--shard 3/2 is not i/n');
  }, 120_000);
});
