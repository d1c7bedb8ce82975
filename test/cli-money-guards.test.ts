// The money guards as a user meets them in a live dry run: a budget without --allow-paid caps the risky creates (and
// says so), --budget-month is stated with its scope, a torn history line stops the plan, and a bad budget value names
// where it came from (flag, variable, or config file and JSON pointer).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const specs = join(process.cwd(), 'specs');
const EVOLINK = 'evolink-kling-v3-t2v';
const liveDryRun = (history: string, ...extra: string[]) => [
  '--specs',
  specs,
  'run',
  '--target',
  'live',
  '--dry-run',
  '--provider',
  EVOLINK,
  '--history',
  history,
  ...extra,
];

describe('money guards in a live dry run', () => {
  it('a budget without --allow-paid caps the risky creates; --budget-month is stated with its scope', async () => {
    const history = join(tempFolder('kc-guards-'), 'history.jsonl');
    const r = await runCli(liveDryRun(history, '--budget', '1USD', '--budget-month', '3USD', '--json'));
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      worstCase: Record<string, number>;
      riskyBudgets?: Record<string, { amount: number }>;
      budgetMonth?: { amount: number; spent: number };
      riskyRequests: number;
    };
    expect(plan.riskyRequests).toBeGreaterThan(0);
    expect(plan.riskyBudgets?.[EVOLINK]?.amount).toBe(1);
    expect(plan.worstCase.USD).toBeLessThanOrEqual(1);
    expect(plan.budgetMonth).toMatchObject({ amount: 3, spent: 0 });
    const text = await runCli(liveDryRun(history, '--budget', '1USD', '--budget-month', '3USD'));
    expect(text.stdout).toContain(`no --allow-paid: no paid check is picked; the budget caps the risky creates`);
    expect(text.stdout).toContain('monthly cap (--budget-month) 3 USD: 0 spent this month');
    expect(text.stdout).toContain('all providers together (one cap shared by every provider and run');
  }, 120_000);

  it('a torn history line is exit 2 naming the file, the line and the fix, before anything is planned', async () => {
    const history = join(tempFolder('kc-guards-'), 'history.jsonl');
    writeFileSync(history, '{"id":"night-1","startedAt":"2026-12-01T02:00:00.000Z","target":"li');
    const r = await runCli(liveDryRun(history, '--budget-month', '1USD'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${history}: line 1 is not a readable history line`);
    expect(r.stderr).toContain(`sed -i '1d' ${history}`);
    expect(r.stdout).toBe('');
  }, 60_000);

  it('a bad budget names its source: the config file and pointer, the variable; an empty --base-url', async () => {
    const cwd = tempFolder('kc-guards-project-');
    writeFileSync(join(cwd, 'package.json'), '{}');
    const config = join(cwd, 'kling-conformance.config.json');
    writeFileSync(config, JSON.stringify({ run: { budget: 5 } }));
    const history = join(cwd, 'history.jsonl');
    const fromFile = await runCli(liveDryRun(history), { cwd });
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toContain(`CONFIG ${config}#/run/budget: --budget 5 is not an amount with a currency`);
    const fromEnv = await runCli(liveDryRun(history), { env: { KLING_CONFORMANCE_BUDGET: 'abc' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('KLING_CONFORMANCE_BUDGET="abc": --budget abc is not an amount');
    const empty = await runCli(liveDryRun(history, '--base-url', ''));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--base-url is empty');
    expect(empty.stderr).toContain('is empty when that variable is unset');
  }, 90_000);
});
