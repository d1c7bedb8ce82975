// `drift --history`: what changed in a gateway's observed behaviour over the nights a history.jsonl holds, without
// picking two report folders by hand: each change with the night (run, folder) it first showed in; a night whose
// report folder is gone is "not compared", never a silent pass; a history that cannot be read is exit 2 naming the
// file, the line and the fix.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAjv } from '../src/core/ajv.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { HistoryDrift } from '../src/drift/history-drift.ts';
import { buildResults, type RunResults } from '../src/report/build-results.ts';
import { toHistoryLine } from '../src/report/history-line.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const P = 'toapis-kling-3.0-turbo';
const require = createRequire(import.meta.url);
const validateDrift = createAjv().compile(require('../src/drift/drift.schema.json') as object);

/** One night's duration check: 5 as documented, or 6 (another documented claim). */
const duration = (observed: number): CheckResult => ({
  id: 'defaults.duration',
  provider: P,
  title: 'default duration',
  family: 'defaults',
  paid: false,
  durationMs: 1,
  status: observed === 5 ? 'pass' : 'warn',
  message: observed === 5 ? 'ok' : 'defaults to 6',
  expected: 5,
  observed,
  source: 'seed — duration 5',
  ...(observed === 5
    ? {}
    : { findings: [{ kind: 'claim-followed', message: 'm', pointer: '/duration', matches: ['6 (seed — table)'] }] }),
});

function night(day: string, observed: number, target: 'live' | 'mock' = 'live'): RunResults {
  return buildResults(
    {
      id: `run-${day}-${target}`,
      target,
      providers: [{ id: P, baseUrl: 'http://gateway.test', spec: { version: 'v1', digest: 'd1' } }],
      seed: 1,
      startedAt: `2026-11-${day}T02:00:00.000Z`,
      endedAt: `2026-11-${day}T02:10:00.000Z`,
      allowPaid: false,
      client: 'reference',
    },
    [duration(observed)],
    '0',
  );
}

/** A nightly job's reports root: one folder per night and the history naming them; night 04's folder is gone. */
function nightlyRoot(): string {
  const root = tempFolder('kc-drift-history-');
  const nights: [string, RunResults][] = [
    ['01', night('01', 5)],
    ['02', night('02', 5)],
    ['02-mock', night('02', 6, 'mock')],
    ['03', night('03', 6)],
    ['04', night('04', 6)],
  ];
  const lines = nights.map(([name, r]) => {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'results.json'), JSON.stringify(r));
    return JSON.stringify(toHistoryLine(r, dir));
  });
  writeFileSync(join(root, 'history.jsonl'), `${lines.join('\n')}\n`);
  rmSync(join(root, '04'), { recursive: true });
  return root;
}

let root: string;
beforeAll(() => {
  root = nightlyRoot();
});

describe('drift --history', () => {
  it('lists each change with the night it first showed in; a missing folder is not compared', async () => {
    const r = await runCli(['drift', '--history', join(root, 'history.jsonl'), '--format', 'json']);
    expect(r.code, r.stderr).toBe(1);
    const d = JSON.parse(r.stdout) as HistoryDrift;
    expect(validateDrift(d), JSON.stringify(validateDrift.errors)).toBe(true);
    const live = d.series.find((s) => s.provider === P && s.target === 'live')!;
    expect(live.nights.map((n) => n.startedAt.slice(8, 10))).toEqual(['01', '02', '03', '04']);
    expect(live.compared).toBe(2);
    expect(live.changes).toEqual([
      expect.objectContaining({
        fact: 'default.duration',
        before: expect.objectContaining({ value: 5 }),
        after: expect.objectContaining({ value: 6, alignment: 'other-claim' }),
        severity: 'WARN',
        appeared: expect.objectContaining({ id: 'run-03-live', reportDir: join(root, '03'), line: 4 }),
        previous: expect.objectContaining({ id: 'run-02-live', reportDir: join(root, '02') }),
      }),
    ]);
    expect(live.missing).toEqual([
      {
        night: expect.objectContaining({ id: 'run-04-live' }),
        reason: expect.stringContaining('report folder missing'),
      },
    ]);
    // a mock run in the same history is its own series (one night: nothing to compare), never set against the live
    const mock = d.series.find((s) => s.target === 'mock')!;
    expect(mock.unjudged).toMatch(/one night/);
    expect(mock.changes).toEqual([]);
    const md = await runCli(['drift', '--history', join(root, 'history.jsonl'), '--provider', P]);
    expect(md.stdout).toContain(`## ${P} (live): 4 nights`);
    expect(md.stdout).toMatch(/first seen 2026-11-03T02:00:00.000Z \(run run-03-live, .*03, history line 4\)/);
    expect(md.stdout).toContain('not compared: report folder missing');
  }, 180_000);

  it('a window that holds only a night whose folder is gone judges nothing: exit 2, never a pass', async () => {
    const file = join(root, 'history.jsonl');
    const r = await runCli(['drift', '--history', file, '--since', '2026-11-03', '--format', 'json']);
    expect(r.code, r.stderr).toBe(2);
    const live = (JSON.parse(r.stdout) as HistoryDrift).series.find((s) => s.target === 'live')!;
    expect(live.unjudged).toMatch(/one night/);
    expect(r.stderr).toContain('UNJUDGED');
    // first against last over the window before night 04: the change, and exit 1
    const firstLast = await runCli(['drift', '--history', file, '--last', '3', '--first-last', '--provider', P]);
    expect(firstLast.code, firstLast.stderr).toBe(1);
    expect(firstLast.stdout).toContain("each series' first night against its last");
    const lastTwo = await runCli(['drift', '--history', file, '--last', '2', '--provider', P]);
    expect(lastTwo.code, lastTwo.stdout).toBe(2);
  }, 180_000);

  it('a history that cannot be read names the file, the line, the JSON pointer and the fix (exit 2)', async () => {
    const dir = tempFolder('kc-drift-history-bad-');
    const good = JSON.stringify(toHistoryLine(night('01', 5), join(root, '01')));
    const cases: [name: string, text: string, expected: RegExp][] = [
      [
        'torn.jsonl',
        `${good}\n${good}\n{"id": "x", "star\n`,
        /torn\.jsonl:3: line 3 is not JSON[\s\S]*fix: .*sed -i '3d'/,
      ],
      [
        'no-folder.jsonl',
        `${good}\n${JSON.stringify({ ...JSON.parse(good), reportDir: undefined })}\n`,
        /no-folder\.jsonl:2#\/reportDir: line 2 is not a history line: \/reportDir is not a string[\s\S]*fix:/,
      ],
      [
        'results.json',
        JSON.stringify(night('01', 5), null, 2),
        /is one JSON document \(a results\.json\)[\s\S]*--between/,
      ],
      ['empty.jsonl', '\n', /holds no runs/],
    ];
    for (const [name, text, expected] of cases) {
      writeFileSync(join(dir, name), text);
      const r = await runCli(['drift', '--history', join(dir, name)]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(expected);
    }
    const missing = await runCli(['drift', '--history', join(dir, 'none.jsonl')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/there is no .*none\.jsonl/)]);
    const usage = await runCli(['drift', '--history', join(root, 'history.jsonl'), '--last', '1']);
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining('--last must be a whole number')]);
    const alone = await runCli(['drift', '--results', join(root, '01', 'results.json'), '--since', '2026-11-01']);
    expect([alone.code, alone.stderr]).toEqual([2, expect.stringContaining('apply to drift --history')]);
  }, 240_000);
});
