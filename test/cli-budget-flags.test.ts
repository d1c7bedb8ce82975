// The budget flags of a live dry run: a plan that would be wrong is refused (exit 2) naming the flag and the fix.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

// a history of its own: the default reports/history.jsonl of a checkout would change tonight's plan (night, bank)
const history = () => ['--history', join(tempFolder('kc-budget-flags-'), 'history.jsonl')];
const dryRun = (...extra: string[]) =>
  runCli([
    'run',
    '--target',
    'live',
    '--allow-paid',
    '--dry-run',
    '--base-url',
    'https://gateway.example',
    ...history(),
    ...extra,
  ]);

describe('budget flags in a dry run', () => {
  it('a --budget naming a provider not in this run is refused, naming the id and the run providers', async () => {
    for (const id of ['nope', 'fal-kling-v3-standard-t2v']) {
      const r = await dryRun('--provider', 'evolink-kling-v3-t2v', '--budget', `${id}=1USD`);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`--budget names "${id}"`);
      expect(r.stderr).toContain('evolink-kling-v3-t2v');
      expect(r.stdout).toBe('');
    }
  }, 60_000);

  it('--dry-run refuses a bad --shard and prints the shard part: its requests, its part of the budget', async () => {
    for (const bad of ['3/2', '1/5', 'x']) {
      const r = await dryRun('--provider', 'evolink-kling-v3-t2v', '--run-id', 'r1', '--shard', bad);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`--shard ${bad} is not i/n`);
    }
    const parts: { requests: number; worst: number }[] = [];
    for (const shard of ['1/2', '2/2']) {
      const r = await dryRun(
        '--provider',
        'evolink-kling-v3-t2v',
        '--budget',
        '1USD',
        '--run-id',
        'r1',
        '--shard',
        shard,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`shard ${shard} \\(.+\\) holds its part of each budget`));
      const m = /(\d+) requests; expected spend [\d.]+ USD; worst case ([\d.]+) USD/.exec(r.stdout);
      parts.push({ requests: Number(m![1]), worst: Number(m![2]) });
    }
    // the two shards differ, and together never plan past the 1 USD budget
    expect(parts[0]!.requests).not.toBe(parts[1]!.requests);
    expect(parts[0]!.worst + parts[1]!.worst).toBeLessThanOrEqual(1);
  }, 60_000);

  it('a live dry run needs no --base-url: it sends nothing and plans against a placeholder gateway', async () => {
    const args = ['run', '--target', 'live', '--dry-run', '--provider', 'evolink-kling-v3-t2v'];
    const r = await runCli([...args, '--allow-paid', '--budget', '1USD', ...history()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/POST https:\/\/gateway\.example\/\S+\s+0\.375 USD/);
    expect(r.stdout).toContain('Nothing was sent.');
  }, 60_000);
});
