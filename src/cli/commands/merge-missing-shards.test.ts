// `merge` of a run in shards with a shard missing fails closed: RUN_INCOMPLETE (exit 2) naming the missing shards and
// their suite files, nothing written; with --allow-missing-shards the report of the shards given is written and says,
// in every report file and the history, what is missing — and the exit is still 2.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../../core/errors.ts';
import { buildResults, type RunResults } from '../../report/build-results.ts';
import { shardSuiteFiles } from '../../run/suite-families.ts';
import { mergeShards } from './merge-action.ts';

const root = mkdtempSync(join(tmpdir(), 'kc-merge-missing-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Shard `part` of night-3's report dir: one passing check of its own. */
function shardDir(part: string): string {
  const dir = join(root, part.replace('/', '-of-'));
  mkdirSync(dir, { recursive: true });
  const results: RunResults = buildResults(
    {
      id: `run-${part}`,
      target: 'mock',
      providers: [{ id: 'evolink-kling-v3-t2v', baseUrl: 'http://127.0.0.1:1' }],
      seed: 1,
      startedAt: '2026-12-04T03:00:00.000Z',
      endedAt: '2026-12-04T03:05:00.000Z',
      allowPaid: false,
      client: 'reference',
      shard: part,
      shardOf: 'night3',
    },
    [
      {
        id: `check.${part.replace('/', '-')}`,
        provider: 'evolink-kling-v3-t2v',
        title: 't',
        family: 'auth',
        paid: false,
        durationMs: 1,
        status: 'pass',
        message: 'ok',
      },
    ],
    '0.0.0',
  );
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  return dir;
}

const merge = (dirs: string[], out: string, allowMissingShards?: boolean) =>
  mergeShards(new Command(), dirs, {
    reportDir: join(root, out),
    history: join(root, `${out}.jsonl`),
    quiet: true,
    allowMissingShards,
  });
const refusal = async (p: Promise<number>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HarnessError);
  return err as HarnessError;
};

describe('merge with a shard missing', () => {
  const one = shardDir('1/2');
  const missingFiles = shardSuiteFiles('2/2');

  it('is RUN_INCOMPLETE (exit 2) naming the missing shard, its suite files and the fix; writes nothing', async () => {
    const err = await refusal(merge([one], 'refused'));
    expect(err.code).toBe('RUN_INCOMPLETE');
    expect(err.message).toContain('shard(s) 2/2');
    expect(err.message).toContain('of run night3');
    for (const f of missingFiles) expect(err.message).toContain(f);
    expect(err.fix).toContain('--allow-missing-shards');
    expect(existsSync(join(root, 'refused'))).toBe(false);
    expect(existsSync(join(root, 'refused.jsonl'))).toBe(false);
  });

  it('--allow-missing-shards: every report and the history say what is missing; the exit is still 2', async () => {
    const err = await refusal(merge([one], 'partial', true));
    expect(err.code).toBe('RUN_INCOMPLETE');
    const dir = join(root, 'partial');
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;
    expect(results.run.missingShards).toEqual([{ shard: '2/2', suiteFiles: missingFiles }]);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('Shards missing (exit 2): 2/2 of run night3');
    expect(summary).not.toContain('Every check that ran passed');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('Shards missing (exit 2): 2/2 of run night3');
    const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase classname="kling-conformance" name="shard 2\/2"[^>]*>\s*<error /);
    expect(junit).toMatch(/<testsuites [^>]*tests="2" failures="0" errors="1"/);
    const line = JSON.parse(readFileSync(join(root, 'partial.jsonl'), 'utf8')) as { incomplete?: boolean };
    expect(line.incomplete).toBe(true);
  });

  it('every shard given: a whole run, exit 0', async () => {
    expect(await merge([one, shardDir('2/2')], 'whole')).toBe(0);
  });
});
