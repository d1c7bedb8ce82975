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

/** One shard's dry run of EvoLink on the whole night's 1 USD. */
const shardRun = (shard: string, ...extra: string[]) =>
  dryRun('--provider', 'evolink-kling-v3-t2v', '--budget', '1USD', '--run-id', 'r1', '--shard', shard, ...extra);

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
    const parts: { requests: number; worst: number; may: number; out: string }[] = [];
    for (const shard of ['1/2', '2/2']) {
      const r = await shardRun(shard);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`shard ${shard} \\(.+\\) holds its part of each budget`));
      const m = /(\d+) requests; expected spend [\d.]+ USD; worst case ([\d.]+) USD/.exec(r.stdout);
      // the nights table is this shard's part: which part of the run, what it may spend of the night's budget
      expect(r.stdout).toMatch(new RegExp(`^shard ${shard} of run r1 \\((\\w+\\.suite(, )?)+\\): its part`, 'm'));
      const may = /night 1, budget 1 USD .*; this shard may spend ([\d.]+) USD of the night's 1 USD/.exec(r.stdout);
      expect(may, r.stdout).not.toBeNull();
      parts.push({ requests: Number(m![1]), worst: Number(m![2]), may: Number(may![1]), out: r.stdout });
    }
    // the two shards differ, and together never plan past the 1 USD budget
    expect(parts[0]!.requests).not.toBe(parts[1]!.requests);
    expect(parts[0]!.worst + parts[1]!.worst).toBeLessThanOrEqual(1);
    expect(parts[0]!.may + parts[1]!.may).toBeLessThanOrEqual(1);
    // each of tonight's picks is a row of the one shard that sends it, and named as another shard's in the other
    const picked = (out: string) => [...out.matchAll(/^(\S+) +\d+ +[\d.]+ USD +\S+ +picked/gm)].map((x) => x[1]);
    expect(picked(parts[1]!.out)).toEqual(['default-task']);
    expect(picked(parts[0]!.out)).not.toContain('default-task');
    expect(parts[0]!.out).toContain("tonight's picks another shard sends: default-task (shard 2/2)");
    // --json says the same
    const json = await shardRun('2/2', '--json');
    const night = (
      JSON.parse(json.stdout) as {
        nights: { picked: string[]; shard: { shard: string; runId: string; part: { amount: number } } }[];
      }
    ).nights[0]!;
    expect(night.picked).toEqual(['default-task']);
    expect(night.shard).toMatchObject({ shard: '2/2', runId: 'r1', part: { amount: parts[1]!.may } });
  }, 120_000);

  it('a live dry run needs no --base-url: it sends nothing and plans against a placeholder gateway', async () => {
    const args = ['run', '--target', 'live', '--dry-run', '--provider', 'evolink-kling-v3-t2v'];
    const r = await runCli([...args, '--allow-paid', '--budget', '1USD', ...history()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/POST https:\/\/gateway\.example\/\S+\s+0\.375 USD/);
    expect(r.stdout).toContain('Nothing was sent.');
    // unsharded, the nights table is the whole night's: every pick, no shard's part
    expect(r.stdout).toMatch(/^default-task +15 +0\.375 USD +never +picked$/m);
    expect(r.stdout).toMatch(/^boundary\.maxItems +1 +0\.45 USD +never +picked$/m);
    expect(r.stdout).not.toMatch(/shard/);
  }, 60_000);
});
