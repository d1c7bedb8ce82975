// docs/ci.md's nightly recipe, run as written for three simulated nights against loopback gateways (each provider's
// mock served as a live target): the workflow's environment and its `run:` steps, in order, with the cache steps
// replaced by keeping the history folder between nights. Each night exits 0 on a conforming gateway and spends no
// more than its budget; the third night's dashboard shows coverage age; a deviation planted on night three pages.
// Its sharded recipe (docs/workflows/nightly-sharded.yml) is kept runnable cheaply: each shard's `run:` line as
// written with --dry-run added (nothing is sent), and every flag of its merge and history lines in the CLI's options.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpResponse } from 'msw';
import { parse } from 'yaml';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../src/cli/register-commands.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';
import { startDeviatingMock } from './support/deviating-mock.ts';
import { runShell } from './run-shell.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-nightly-recipe-0123456789abcdef';
const BIN = fileURLToPath(new URL('../bin/kling-conformance.js', import.meta.url));

interface Workflow {
  jobs: { live: { env: Record<string, string>; steps: { name?: string; run?: string; if?: string }[] } };
}
const workflow = parse(readFileSync('docs/workflows/nightly.yml', 'utf8')) as Workflow;
const job = workflow.jobs.live;
// the steps that run our CLI (checkout, setup-node, npm ci and the cache/artifact actions are GitHub's)
const steps = job.steps.filter((s) => s.run?.includes('kling-conformance'));
const budget = Number.parseFloat(job.env.KLING_CONFORMANCE_BUDGET!);
/** a step's own budget (its --budget flag, as fal's), else the job's */
const budgetOf = (name: string) =>
  Number.parseFloat(/--budget (\S+)USD/.exec(steps.find((s) => s.name === name)!.run!)?.[1] ?? String(budget));

let mocks: RunningMock[] = [];
let deviating: { url: string; close(): Promise<void> } | undefined;
const cwd = tempFolder('kc-nightly-');

/** A step's shell line with GitHub's expressions filled in, and npx pointed at this checkout's bin. */
function shellOf(run: string, vars: Record<string, string>): string {
  return run
    .replace(/\$\{\{\s*vars\.([A-Z_]+)(?:\s*\|\|[^}]*)?\s*\}\}/g, (_m, name: string) => vars[name]!)
    .replaceAll('npx kling-conformance', `"${process.execPath}" "${BIN}"`);
}

/** One night: every step, in order, as the job runs them (`if: always()` keeps going after a failure). */
async function night(n: number, vars: Record<string, string>) {
  const summary = join(cwd, `step-summary-${n}.md`);
  writeFileSync(summary, '');
  const env = {
    ...job.env,
    EVOLINK_KEY: KEY,
    FAL_KEY: KEY,
    GITHUB_STEP_SUMMARY: summary,
    // loopback gateways answer at once: poll them often (the recipe's own settings are untouched)
    KLING_CONFORMANCE_POLL_INTERVAL: '1',
    KLING_CONFORMANCE_LINK_RECHECK: '1',
  };
  const codes: Record<string, number | null> = {};
  let failed = false;
  for (const step of steps) {
    // after a failed step, only the steps under `if: always()` run
    if (failed && !step.if?.includes('always()')) continue;
    const r = await runShell(shellOf(step.run!, vars), { cwd, env, timeoutMs: 240_000 });
    codes[step.name ?? step.run!] = r.code;
    failed ||= r.code !== 0;
  }
  return { codes, summary: readFileSync(summary, 'utf8') };
}

/** A night spends past its budget only what it draws from the bank (what earlier nights left): its spend less that. */
const spendOf = (dir: string) => {
  const { spend } = (
    JSON.parse(readFileSync(join(cwd, dir, 'results.json'), 'utf8')) as {
      run: { spend: { documented: { USD?: number }; plan?: { fromBank?: number }[] } };
    }
  ).run;
  return (spend.documented.USD ?? 0) - (spend.plan?.[0]?.fromBank ?? 0);
};

beforeAll(async () => {
  const specs = await Promise.all(['evolink-kling-v3-t2v', 'fal-kling-v3-standard-t2v'].map((id) => loadSpecById(id)));
  mocks = await startMocks(specs, { clock: new VirtualClock(Date.now()), validKeys: [KEY] });
  // night three's EvoLink: the same faithful mock, except that it now accepts a create without a prompt
  deviating = await startDeviatingMock(
    specs[0]!,
    { clock: new VirtualClock(Date.now()), validKeys: [KEY] },
    {
      request: async (req, x) => {
        if (x.operation !== 'create') return req;
        const body = (await req.clone().json()) as Record<string, unknown>;
        return 'prompt' in body ? req : HttpResponse.json({ id: 'task-planted', status: 'pending' }, { status: 200 });
      },
    },
  );
});
afterAll(async () => {
  await stopMocks(mocks);
  await deviating?.close();
});

describe("docs/ci.md's nightly recipe, three nights", () => {
  it('runs as written: nights one and two pass within budget, night three pages on the planted deviation', async () => {
    expect(steps.map((s) => s.name)).toEqual(['EvoLink', 'fal.ai', 'Trend']);
    const [evolink, fal] = mocks;
    const vars = { EVOLINK_BASE_URL: evolink!.url, FAL_BASE_URL: fal!.url };
    for (const n of [1, 2]) {
      const { codes } = await night(n, vars);
      expect(codes, `night ${n}`).toEqual({ EvoLink: 0, 'fal.ai': 0, Trend: 0 });
      expect(spendOf('reports/evolink')).toBeLessThanOrEqual(budget);
      expect(spendOf('reports/fal')).toBeLessThanOrEqual(budgetOf('fal.ai'));
    }
    const third = await night(3, { ...vars, EVOLINK_BASE_URL: deviating!.url });
    // the new failure pages (--fail-on new); fal and the trend carry on under `if: always()`
    expect(third.codes).toEqual({ EvoLink: 1, 'fal.ai': 0, Trend: 0 });
    expect(spendOf('reports/evolink')).toBeLessThanOrEqual(budget);
    expect(third.summary).toContain('reject.prompt_missing');
    const dashboard = readFileSync(join(cwd, 'reports/dashboard.html'), 'utf8');
    expect(dashboard).toContain('Coverage age');
    expect(dashboard).toMatch(/evolink-kling-v3-t2v<\/td><td>defaults\.duration<\/td><td>\d{4}-/);
    expect(existsSync(join(cwd, 'history/history.jsonl'))).toBe(true);
    const nights = readFileSync(join(cwd, 'history/history.jsonl'), 'utf8').trim().split('\n');
    expect(nights).toHaveLength(6);
  }, 900_000);
});

/**
 * The rejection checks (`reject.*`, `shape.error.*`) a step's budget can never send, as docs/ci.md names them with the
 * budget each would need: any other is a recipe that cannot fund its provider's checks.
 */
const LEFT_OUT: Record<string, string[]> = {
  EvoLink: ['reject.duration_above_max', 'reject.enum.quality', 'reject.enum.sound'],
  'fal.ai': ['reject.enum.duration'],
};

type PlanJson = {
  requests: { check: string; sent?: boolean; notSent?: string }[];
  nights: { provider: string; skippedForBudget: { id: string; reason: string }[] }[];
};

describe("docs/ci.md's nightly recipe, planned over its budgets", () => {
  it("each step's budget can send its provider's rejection checks and run every paid check", async () => {
    const dir = tempFolder('kc-nightly-plan-');
    const vars = { EVOLINK_BASE_URL: 'https://gateway.example', FAL_BASE_URL: 'https://gateway.example' };
    const env = { ...job.env, EVOLINK_KEY: KEY, FAL_KEY: KEY };
    const runs = steps.filter((s) => s.run!.includes('kling-conformance run '));
    expect(runs.map((s) => s.name)).toEqual(Object.keys(LEFT_OUT));
    for (const step of runs) {
      const leftOut = LEFT_OUT[step.name ?? ''] ?? [];
      const r = await runShell(`${shellOf(step.run!, vars)} --dry-run --json`, { cwd: dir, env, timeoutMs: 120_000 });
      expect(r.code, r.stderr).toBe(0);
      const plan = JSON.parse(r.stdout) as PlanJson;
      const never = plan.requests.filter(
        (q) => /^(reject|shape\.error)\./.test(q.check) && q.notSent?.startsWith('never at this budget'),
      );
      expect([...new Set(never.map((q) => q.check))], `${step.name}: ${never[0]?.notSent}`).toEqual(leftOut);
      for (const id of leftOut) expect(readFileSync('docs/ci.md', 'utf8')).toContain(`\`${id}\``);
      // a paid check dearer than a night is saved for (the bank): none is left for ever
      const skipped = plan.nights.flatMap((n) => n.skippedForBudget);
      expect(
        skipped.filter((s) => !/due on night \d+/.test(s.reason)),
        step.name,
      ).toEqual([]);
    }
  }, 300_000);
});

interface ShardedWorkflow {
  jobs: {
    shard: { strategy: { matrix: { shard: number[] } }; env: Record<string, string>; steps: Step[] };
    night: { steps: Step[] };
  };
}
type Step = { name?: string; run?: string; uses?: string; with?: Record<string, string> };
const sharded = parse(readFileSync('docs/workflows/nightly-sharded.yml', 'utf8')) as ShardedWorkflow;

/** A step's shell line with GitHub's expressions filled in from `values` (by the expression's text). */
const filled = (run: string, values: Record<string, string>) =>
  run
    .replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_m, name: string) => values[name] ?? `unknown ${name}`)
    .replaceAll('npx kling-conformance', `"${process.execPath}" "${BIN}"`);

/** The long flags of each CLI command, from the program's own option table. */
function optionTable(): Record<string, string[]> {
  const program = new Command();
  registerCommands(program, () => {});
  return Object.fromEntries(program.commands.map((c) => [c.name(), c.options.map((o) => o.long ?? '')]));
}

describe("docs/ci.md's sharded nightly recipe", () => {
  it("each shard's line runs as written (a dry run: its part); merge and history flags exist", async () => {
    const { shard, night } = sharded.jobs;
    const line = shard.steps.find((s) => s.name === 'Shard')!.run!;
    // every shard gets the same run id and the whole night's budget, and names the key's variable, never the key
    expect(line).toMatch(/--run-id "\$\{\{ github\.run_id \}\}-\$\{\{ github\.run_attempt \}\}"/);
    expect(line).toContain('--budget 1USD');
    expect(shard.env.EVOLINK_KEY).toBe('${{ secrets.EVOLINK_KEY }}');
    expect(line).toContain('--api-key-env EVOLINK_KEY');
    const n = shard.strategy.matrix.shard.length;
    expect(line).toContain(`/${n}"`);
    const dir = tempFolder('kc-nightly-sharded-');
    for (const k of shard.strategy.matrix.shard) {
      const values = {
        'vars.EVOLINK_BASE_URL': 'https://gateway.example',
        'matrix.shard': String(k),
        'github.run_id': '9001',
        'github.run_attempt': '1',
      };
      const r = await runShell(`${filled(line, values)} --dry-run`, {
        cwd: dir,
        env: { EVOLINK_KEY: KEY },
        timeoutMs: 120_000,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`shard ${k}/${n} \\(.+\\) holds its part of each budget`));
      expect(r.stdout).toContain(`shard ${k}/${n} of run 9001-1 (`);
      expect(r.stdout).toMatch(/this shard may spend [\d.]+ USD of the night's 1 USD/);
      expect(r.stdout + r.stderr).not.toContain(KEY);
    }
    // the merge job reads the reports where the shards' artifacts land
    const upload = shard.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!.with!;
    const download = night.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!.with!;
    expect(upload.name).toBe('kling-shard-${{ matrix.shard }}');
    expect(download).toMatchObject({ pattern: 'kling-shard-*', path: 'reports' });
    const options = optionTable();
    const lines = night.steps
      .flatMap((s) => s.run?.split('\n') ?? [])
      .filter((l) => l.includes('npx kling-conformance'));
    expect(lines.map((l) => l.split(' ')[2])).toEqual(['merge', 'history', 'history']);
    expect(lines[0]).toContain('merge reports/kling-shard-* ');
    for (const l of lines) {
      const command = l.split(' ')[2]!;
      for (const flag of l.match(/\s--[a-z-]+/g) ?? []) expect(options[command], l).toContain(flag.trim());
    }
  }, 240_000);
});
