// Money over nights, as a user runs it against a gateway that follows EvoLink's documents (its mock served as a live
// target, counting the tasks it makes): a spent monthly cap runs every free check, skips every paid one saying why,
// makes no task and exits 0; the dry run shows what earlier nights banked paying for a dear item, and without
// carry-over (flag or environment) says the item can never run at this budget and what budget would.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.ts';
import type { HistoryLine } from '../src/report/history-line.ts';
import { isSuccess } from '../src/spec/operations.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { startDeviatingMock } from './support/deviating-mock.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-month-cap-0123456789abcdef';
const PROVIDER = 'evolink-kling-v3-t2v';
const dir = tempFolder('kc-month-');
let gateway: { url: string; close(): Promise<void> };
let made = 0;

beforeAll(async () => {
  const spec = await loadSpecById(PROVIDER);
  gateway = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), validKeys: [KEY] },
    {
      response: (res, _req, x) => {
        if (x.operation === 'create' && isSuccess(spec, 'create', res.status)) made += 1;
        return res;
      },
    },
  );
});
afterAll(async () => {
  await gateway.close();
});

/** A history of past live nights of this provider: each with its budget, its own spend and its picks. */
function history(file: string, nights: { spent: number; budget?: number; at?: Date }[]): string {
  const lines = nights.map(
    (n, i): HistoryLine => ({
      id: `past-${i + 1}`,
      startedAt: (n.at ?? new Date(Date.now() - (nights.length - i) * 86_400_000)).toISOString(),
      target: 'live',
      providers: [PROVIDER],
      summary: { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 },
      byProvider: {},
      failed: [],
      checks: {},
      spend: { USD: n.spent },
      paid: { [PROVIDER]: { budget: n.budget, currency: 'USD', spent: n.spent, picked: [] } },
      reportDir: '',
    }),
  );
  const path = join(dir, file);
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
}

const live = (extra: string[], env: Record<string, string> = {}) =>
  runCli(
    [
      ...liveRunArgs(PROVIDER, gateway.url, 'KC_MONTH_KEY'),
      '--allow-paid',
      '--poll-interval',
      '1',
      '--link-recheck',
      '1',
      ...extra,
    ],
    {
      env: { KC_MONTH_KEY: KEY, ...env },
      timeoutMs: 600_000,
    },
  );

describe('a monthly cap already spent', () => {
  it('runs every free check, skips the paid ones with the reason, makes no task and exits 0', async () => {
    // this month's runs spent 30.2 USD of a 30 USD cap
    const h = history('spent.jsonl', [{ spent: 30.2, budget: 31, at: new Date() }]);
    const reports = join(dir, 'capped');
    const r = await live(
      ['--budget', '1USD', '--budget-month', '30USD', '--history', h, '--report-dir', reports, '--timeout', '900'],
      {},
    );
    const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as {
      results: { id: string; status: string; message: string }[];
      run: { spend: { tasks: number } };
    };
    const bad = results.results.filter((x) => x.status === 'fail' || x.status === 'error');
    expect(r.code, `${r.stderr}\n${JSON.stringify(bad)}`).toBe(0);
    expect(made).toBe(0);
    expect(results.run.spend.tasks).toBe(0);
    const why = 'monthly cap reached (30.2 of 30 USD spent this month)';
    for (const id of ['defaults.duration', 'shape.create', 'boundary.maximum', 'defaults.explicit_settings'])
      expect(results.results.find((x) => x.id === id)!.message, id).toContain(why);
    // the free checks were judged
    expect(results.results.filter((x) => x.id.startsWith('auth.') && x.status === 'pass').length).toBeGreaterThan(2);
  }, 700_000);
});

describe('carry-over in the dry run', () => {
  it('a dear item is paid from what nights banked; without carry-over it never runs, and says what would', async () => {
    // six nights that each left 0.3 USD of 1 USD unspent
    const h = history(
      'banked.jsonl',
      Array.from({ length: 6 }, () => ({ spent: 0.7, budget: 1 })),
    );
    const dry = (extra: string[], env: Record<string, string> = {}) =>
      live(['--budget', '1USD', '--dry-run', '--json', '--history', h, ...extra], env);
    const planOf = async (extra: string[], env: Record<string, string> = {}) => {
      const r = await dry(extra, env);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as {
        nights: {
          night: number;
          fromBank?: number;
          bankNotes?: string[];
          items: { id: string; state: string; fromBank?: { amount: number } }[];
          skippedForBudget: { id: string; reason: string }[];
        }[];
      };
    };
    const banked = (await planOf([])).nights[0]!;
    expect(banked.night).toBe(7);
    expect(banked.bankNotes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\S+ [\d.]+ USD: paid from [\d.]+ USD banked on nights 1–6$/)]),
    );
    expect(banked.fromBank).toBeGreaterThan(0);
    expect(banked.fromBank).toBeLessThanOrEqual(1.8);
    for (const off of [
      await planOf(['--no-carry-over']),
      await planOf([], { KLING_CONFORMANCE_CARRY_OVER: 'false' }),
    ]) {
      const night = off.nights[0]!;
      expect(night.fromBank).toBeUndefined();
      expect(night.skippedForBudget.find((x) => x.id === 'boundary.maximum')!.reason).toBe(
        "paid, skipped for budget: its one generation costs 1.125 USD, more than a night's budget; it can never " +
          'run at this budget without carry-over — a nightly budget of 1.125 USD would run it',
      );
    }
    // the table says it too
    const table = await live(['--budget', '1USD', '--dry-run', '--history', h]);
    expect(table.stdout).toMatch(/picked: [\d.]+ USD, paid from [\d.]+ USD banked on nights 1–6/);
    expect(made).toBe(0);
  }, 300_000);
});

describe('carry-over in a live run', () => {
  it("a dear item's night spends past its budget only what the bank pays; the ledger stays exact", async () => {
    const h = history(
      'banked-live.jsonl',
      Array.from({ length: 6 }, () => ({ spent: 0.7, budget: 1 })),
    );
    const reports = join(dir, 'banked');
    const before = made;
    const r = await live(['--budget', '1USD', '--history', h, '--report-dir', reports, '--timeout', '900']);
    const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8')) as {
      results: { id: string; status: string; message: string }[];
      run: {
        spend: {
          tasks: number;
          documented: { USD: number };
          plan: { fromBank?: number; bankNotes?: string[]; spent?: number }[];
        };
      };
    };
    const bad = results.results.filter((x) => x.status === 'fail' || x.status === 'error');
    expect(r.code, `${r.stderr}\n${JSON.stringify(bad)}`).toBe(0);
    const night = results.run.spend.plan[0]!;
    expect(night.fromBank).toBeGreaterThan(0);
    expect(results.run.spend.documented.USD).toBeLessThanOrEqual(1 + night.fromBank! + 1e-9);
    expect(night.spent).toBe(results.run.spend.documented.USD);
    expect(results.run.spend.tasks).toBe(made - before);
    expect(readFileSync(join(reports, 'summary.md'), 'utf8')).toContain(night.bankNotes![0]!);
    // the next night reads what this one banked (budget less its own spend) from the history
    const last = JSON.parse(readFileSync(h, 'utf8').trim().split('\n').at(-1)!) as HistoryLine;
    expect(last.paid![PROVIDER]).toMatchObject({ budget: 1, spent: night.spent, fromBank: night.fromBank });
  }, 700_000);
});
