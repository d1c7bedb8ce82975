import { existsSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, HarnessError } from '../../core/errors.ts';
import { redact, redactValue } from '../../core/redact.ts';
import { readSettings, type RunSettings } from '../../core/run-settings.ts';
import { defaultSpecsDir, listSpecIds } from '../../spec/load-spec.ts';
import { exitCodeOf, type RunResults } from '../../report/build-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { appendHistory } from '../../report/append-history.ts';
import { annotations, writeStepSummary } from '../../report/github-actions.ts';
import { SUITE_FAMILIES, shardFamilies } from '../../run/suite-families.ts';
import { assertHistoryReadable, readHistory, type HistoryLine } from '../../report/history-line.ts';
import { compareRuns, findReference, type RunChanges } from '../../report/compare-runs.ts';
import { FAMILIES } from '../../checks/registry.ts';
import { assertWritable } from '../../core/atomic-write.ts';
import { liveCredentials, runConformance } from '../../run/run-conformance.ts';
import { ledgerLockOf } from '../../core/spend-ledger.ts';
import { planSpend, type Budgets, type SpendPlan } from '../../run/plan-spend.ts';
import { parseBudget, parseBudgets } from '../../core/parse-budget.ts';
import { freeOnMocks, planJson } from './render-plan.ts';
import { targetLine } from './target-line.ts';
import { money, renderPlan } from './dry-run-listing.ts';
import { shardText, spendLimits } from '../../run/spend-limits.ts';
import { shardNights } from '../../run/shard-nights.ts';
import { startMocks, stopMocks } from '../../mock/start-mocks.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { liveLine } from '../live-line.ts';
import { settingOrigin } from '../config-defaults.ts';

/** `i/n` with 1 ≤ i ≤ n ≤ the number of suite files (a shard runs whole files). */
function parseShard(text: string): string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const files = Object.keys(SUITE_FAMILIES).length;
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]) || Number(m[2]) > files)
    throw new HarnessError('USAGE', `--shard ${text} is not i/n with 1 ≤ i ≤ n ≤ ${files}`, {
      fix: `pass e.g. --shard 1/2 and --shard 2/2 on two machines (the suites are ${files} files)`,
    });
  return `${m[1]}/${m[2]}`;
}

/**
 * A paid live shard writes its part of the night to the history: without a name common to the night's shards the
 * planner could not add them up (it would read such a line as a night that left nothing unspent).
 */
function assertRunId(settings: RunSettings): void {
  if (settings.shard === undefined || settings.runId || settings.target !== 'live' || !settings.allowPaid) return;
  throw new HarnessError('USAGE', '--shard with --allow-paid on a live run needs --run-id', {
    fix:
      'give every shard of the run the same --run-id (e.g. the CI run number): the history then reads their ' +
      'spends as one night',
  });
}

/**
 * A sharded dry run's plan: the requests of this shard's suite files, their documented spend, a worst case no more
 * than this shard's part of each budget (what its ledger would hold it to, stated on stderr as a real shard does), and
 * per provider this shard's part of the night (see shardNights).
 */
function shardPlan(plan: SpendPlan, total: Budgets['total'], shard: string, runId?: string): SpendPlan {
  const part = spendLimits(plan, total, shard);
  process.stderr.write(`${shardText(shard, spendLimits(plan, total), part)}\n`);
  const mine = shardFamilies(shard);
  // a risky create this shard's part cannot hold is not sent by it (its ledger holds it back, saying the same)
  const whyNot = (r: SpendPlan['requests'][number]) =>
    r.key && mine.has(r.family) ? part.limits.riskyPlan?.[r.provider]?.notSent[r.key] : undefined;
  const marked = plan.requests.map((r) => (whyNot(r) ? { ...r, notSent: whyNot(r) } : r));
  // every shard sends its own probes before its checks
  const requests = marked.filter((r) => r.beforeChecks || mine.has(r.family));
  const expected: Record<string, number> = {};
  const worstCase: Record<string, number> = {};
  for (const r of requests.filter((x) => x.cost !== 'free' && x.price?.amount !== undefined && x.price.currency)) {
    const c = r.price!.currency!;
    worstCase[c] = round4((worstCase[c] ?? 0) + r.price!.amount!);
    if (r.cost === 'billable') expected[c] = round4((expected[c] ?? 0) + r.price!.amount!);
  }
  const held: Record<string, number> = {};
  for (const m of Object.values(part.limits.perProvider ?? {})) held[m.currency] = (held[m.currency] ?? 0) + m.amount;
  if (part.budget) held[part.budget.currency] = Math.min(held[part.budget.currency] ?? Infinity, part.budget.amount);
  for (const [c, cap] of Object.entries(held))
    if (worstCase[c] !== undefined) worstCase[c] = Math.min(worstCase[c], cap);
  return {
    ...plan,
    requests,
    expected,
    worstCase,
    nights: shardNights({ ...plan, requests: marked }, total, shard, runId),
  };
}
const round4 = (n: number) => Math.round(n * 10000) / 10000;

/** The budget flags, and what this calendar month (UTC) already spent by the history's ledger totals. */
function budgetsOf(settings: RunSettings, past: HistoryLine[]): Budgets | undefined {
  const budgets: Budgets = parseBudgets(settings.budget ?? []);
  if (settings.budgetMonth) {
    const cap = parseBudget(settings.budgetMonth, '--budget-month');
    const month = new Date().toISOString().slice(0, 7);
    const spent = past
      .filter((l) => l.target === 'live' && l.startedAt.startsWith(month))
      .reduce((n, l) => n + (l.spend?.[cap.currency] ?? 0), 0);
    budgets.month = { ...cap, spent: Math.round(spent * 10000) / 10000 };
  }
  return budgets.total || budgets.perProvider || budgets.month ? budgets : undefined;
}

/** A per-provider --budget names one of this run's providers: a typo would leave that provider's spend uncapped. */
function assertBudgetIds(budgets: Budgets | undefined, ids: string[]): void {
  const unknown = Object.keys(budgets?.perProvider ?? {}).filter((id) => !ids.includes(id));
  if (unknown.length)
    throw new HarnessError(
      'USAGE',
      `--budget names ${unknown.map((id) => `"${id}"`).join(', ')}, not a provider of this run (${ids.join(', ')})`,
      {
        fix: `spell it --budget <provider-id>=<n><currency> with one of: ${ids.join(', ')} (or add it with --provider)`,
      },
    );
}

/** --dry-run on mocks: the requests as they would reach the built-in mocks (started to learn their URLs, stopped). */
async function mockUrls(specs: Awaited<ReturnType<typeof loadSpecById>>[]): Promise<Record<string, string>> {
  const mocks = await startMocks(specs);
  try {
    return Object.fromEntries(mocks.map((m) => [m.provider, m.url]));
  } finally {
    await stopMocks(mocks);
  }
}

/** The providers to run (all by default), each one known; the base URLs a live run needs; known families. */
function checkSelection(settings: RunSettings, specsDir: string): string[] {
  const known = listSpecIds(specsDir);
  const ids = settings.providers?.length ? settings.providers : known;
  for (const id of ids)
    if (!known.includes(id))
      throw new HarnessError('USAGE', `unknown provider "${id}"`, { fix: `use one of: ${known.join(', ')}` });
  // a dry run sends nothing: without --base-url its plan lists the requests against https://gateway.example
  if (settings.target === 'live' && !settings.baseUrls && !settings.dryRun)
    throw new HarnessError('USAGE', 'a live run needs --base-url', {
      fix: 'pass --base-url https://gateway.example (or <provider-id>=<url>)',
    });
  const unnamed = ids.filter((id) => settings.baseUrls && !settings.baseUrls[id] && !settings.baseUrls['*']);
  if (settings.target === 'live' && unnamed.length)
    throw new HarnessError('CONFIG', `no base URL for ${unnamed.join(', ')}`, {
      fix: `pass --base-url URL (one provider) or --base-url ${unnamed[0]}=URL`,
    });
  for (const f of settings.families ?? [])
    if (!(FAMILIES as readonly string[]).includes(f))
      throw new HarnessError('USAGE', `unknown check family "${f}"`, { fix: `use one of: ${FAMILIES.join(', ')}` });
  return ids;
}

/**
 * Live runs and dry runs: tonight's spending plan by the documented prices, fitted to the budget (the paid picks, the
 * risky creates, the worst case). A dry run prints it (and the run ends there); a live run says what it will cost
 * before anything is sent, and refuses to start only when not even the one default generation fits.
 */
async function planTheSpend(
  settings: RunSettings,
  ids: string[],
  specsDir: string,
  budgets: Budgets | undefined,
  past: HistoryLine[],
  shard: string | undefined,
): Promise<SpendPlan | 'printed' | undefined> {
  if (!settings.dryRun && settings.target !== 'live') return undefined;
  const specs = await Promise.all(ids.map((id) => loadSpecById(id, specsDir)));
  const urls = settings.target === 'mock' ? await mockUrls(specs) : (settings.baseUrls ?? {});
  const plan = await planSpend(specs, {
    baseUrls: urls,
    // a mock run sends every paid request (nothing is billed there); a live one only with --allow-paid
    allowPaid: settings.target === 'mock' || Boolean(settings.allowPaid),
    allowRisky: Boolean(settings.allowRisky),
    live: settings.target === 'live',
    seed: settings.seed!,
    selection: { families: settings.families, checks: settings.checks, excludeChecks: settings.excludeChecks },
    budgets,
    history: past,
    carryOver: settings.carryOver !== false,
  });
  if (settings.dryRun) {
    // a mock bills nothing: its plan lists the requests, each free (what a gateway would bill: --target live)
    const priced = settings.target === 'mock' ? freeOnMocks(plan) : plan;
    const shown = shard ? shardPlan(priced, budgets?.total, shard, settings.runId) : priced;
    const { target, allowPaid } = settings as Required<Pick<RunSettings, 'target' | 'allowPaid'>>;
    console.log(
      settings.json
        ? JSON.stringify(planJson(shown, target, allowPaid), null, 2)
        : renderPlan(shown, target, targetLine(target, ids, urls)),
    );
    return 'printed';
  }
  process.stderr.write(
    `spend (documented prices): expected ${money(plan.expected)}, worst case ` +
      `${money(plan.worstCase)}${plan.unpriced.length ? `; unpriced: ${plan.unpriced.join(', ')}` : ''}\n`,
  );
  return plan;
}

/**
 * What the workers' ledger and the report take from tonight's plan: budgets, earmarks, risky prices (a shard's: of its
 * own suite files, and its part of each budget), picks, the plan as stated.
 */
function spendingOptions(plan: SpendPlan | undefined, settings: RunSettings, total: Budgets['total']) {
  if (!plan) return { budget: total };
  const target = settings.target!;
  const shard = settings.shard === undefined ? undefined : parseShard(settings.shard);
  const limits = spendLimits(plan, total, shard);
  if (shard) process.stderr.write(`${shardText(shard, spendLimits(plan, total), limits)}\n`);
  return {
    budget: limits.budget,
    ledgerLimits: {
      ...limits.limits,
      // paid creates wait for the risky ones at most half the run's time
      riskyPhaseUntil: Date.now() + (settings.timeoutSeconds! * 1000) / 2,
    },
    paidPicks: Object.fromEntries(plan.nights.map((n) => [n.provider, n.picks])),
    paidPlan: planJson(plan, target, Boolean(settings.allowPaid)).nights.map((n) => ({
      provider: n.provider,
      night: n.night,
      ...(n.budget ? { budget: n.budget } : {}),
      ...(n.ownBudget ? { ownBudget: n.ownBudget } : {}),
      ...(n.runWideBudget ? { runWideBudget: n.runWideBudget } : {}),
      picked: n.picked,
      ...(n.fromBank ? { fromBank: n.fromBank } : {}),
      ...(n.bankNotes ? { bankNotes: n.bankNotes } : {}),
      skippedForBudget: n.skippedForBudget,
    })),
  };
}

/**
 * The runs before this one: an unreadable history stops the run before anything is sent, not after. A live run
 * plans its spend from it (the monthly cap, the bank, the night): an unreadable line is exit 2; a mock run (trends
 * and --compare-to only) says which lines it skipped.
 */
function readPast(historyFile: string, live: boolean): HistoryLine[] {
  // (a history that is not a regular file, e.g. /dev/full, has no past to read: appending to it is what fails)
  if (!existsSync(historyFile) || !statSync(historyFile).isFile()) return [];
  const { lines, unreadableLines } = readHistory(historyFile);
  if (live) assertHistoryReadable(historyFile, unreadableLines);
  else if (unreadableLines.length)
    process.stderr.write(`${historyFile}: unreadable line(s) ${unreadableLines.join(', ')} skipped\n`);
  return lines;
}

/** Everything after the run: reports, stdout, history, GitHub's job page, then the exit code. */
function report(settings: RunSettings, results: RunResults, past: HistoryLine[], reportDir: string): number {
  const historyFile = settings.history!;
  const reference = settings.compareTo ? findReference(past, results, settings.compareTo) : undefined;
  if (settings.compareTo && !reference && settings.compareTo !== 'last')
    throw new HarnessError('USAGE', `no run ${settings.compareTo} in ${historyFile}`, {
      fix: 'pass a run id from the history, or --compare-to last',
    });
  const changes = reference ? compareRuns(results, reference, past) : undefined;
  const summary = writeReport(reportDir, results, changes, past);
  if (settings.json) console.log(JSON.stringify(redactValue(results), null, 2));
  else if (!settings.quiet) console.log(redact(summary));
  appendHistory(historyFile, results, reportDir);
  // under GitHub Actions: the summary on the job page and an annotation per failing check
  if (process.env.GITHUB_STEP_SUMMARY) writeStepSummary(process.env.GITHUB_STEP_SUMMARY, summary);
  if (process.env.GITHUB_ACTIONS === 'true') for (const line of annotations(results)) process.stderr.write(`${line}\n`);
  process.stderr.write(
    `reports written to ${reportDir} (${REPORT_FILES.join(', ')}); run appended to ${historyFile}\n`,
  );
  if (results.run.incomplete) throw incompleteRun(results.run.incomplete);
  return exitCode(settings, results, changes);
}

/** the report lists what did come back; the run itself is a harness error */
const incompleteRun = (incomplete: NonNullable<RunResults['run']['incomplete']>) =>
  new HarnessError(
    'RUN_INCOMPLETE',
    `${incomplete.missing} planned check(s) reported no result: ${incomplete.problems.join('; ')}`,
    {
      fix:
        'this is a harness problem, not a provider finding: check --client (it must ' +
        'export `adapter`), --specs, and the machine (a killed worker); the report lists ' +
        'what did come back',
    },
  );

/**
 * --fail-on new: exit 1 only for checks that newly fail since the reference run; when none does but noise left checks
 * unjudged (an outage), exit 2 with UNJUDGED on stderr — not a page for a regression, and never a pass
 */
export function exitCode(
  settings: Pick<RunSettings, 'failOn'>,
  results: RunResults,
  changes: RunChanges | undefined,
): number {
  if (settings.failOn !== 'new' || !changes) return exitCodeOf(results);
  if (changes.newlyFailing.length) return EXIT.FINDINGS;
  if (!changes.unjudged.length) return EXIT.OK;
  process.stderr.write(`${unjudgedError(changes.unjudged).format()}\n`);
  return EXIT.HARNESS;
}

const unjudgedError = (unjudged: string[]) =>
  new HarnessError(
    'UNJUDGED',
    `nothing newly fails, but ${unjudged.length} check(s) could not be judged: 429/5xx/timeouts outlasted the ` +
      `documented retries (${unjudged.slice(0, 5).join(', ')}${unjudged.length > 5 ? ', …' : ''})`,
    {
      fix:
        "the gateway was noisy or down (each check's evidence is in the report's Failures): see whether it is " +
        'back, then run again; a lasting outage is for its operator, not a contract regression',
    },
  );

/**
 * Before anything is printed as if the run started: a live run's credentials are checked (the key's variable, and the
 * secret key's), then stderr says what the run is against — the target and each provider's URL.
 */
async function announceTarget(settings: RunSettings, ids: string[], specsDir: string): Promise<void> {
  if (settings.dryRun) return;
  const live = settings.target === 'live';
  if (live) liveCredentials(await Promise.all(ids.map((id) => loadSpecById(id, specsDir))), settings);
  process.stderr.write(`${targetLine(settings.target!, ids, live ? settings.baseUrls : undefined)}\n`);
}

/** `kling-conformance run`: settings → the spending plan (live) → the run → reports → exit code. */
export async function runCommand(program: Command, flags: Record<string, unknown>, command?: Command): Promise<number> {
  const specsDir = program.opts().specs ?? defaultSpecsDir();
  // a bad value's error names where it came from: the flag, its variable, or the config file and key
  const settings = readSettings(flags, command ? settingOrigin(command) : undefined);
  const ids = checkSelection(settings, specsDir);
  // the runs before this one: tonight's paid rotation, the monthly cap, the reference for --compare-to, the trends
  assertRunId(settings);
  const past = readPast(settings.history!, settings.target === 'live');
  const budgets = budgetsOf(settings, past);
  assertBudgetIds(budgets, ids);
  if (budgets && settings.target !== 'live')
    throw new HarnessError('USAGE', '--budget applies to live runs', {
      fix: 'add --target live, or drop --budget (mocks cost nothing)',
    });
  // a bad --shard is refused before anything is planned, in a dry run too
  const shard = settings.shard === undefined ? undefined : parseShard(settings.shard);
  await announceTarget(settings, ids, specsDir);
  const plan = await planTheSpend(settings, ids, specsDir, budgets, past, shard);
  if (plan === 'printed') return EXIT.OK;
  const reportDir = resolve(settings.reportDir ?? `reports/${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const undoCreated = assertWritable(reportDir, settings.history!);
  // the ledger is this run's: one a previous run left in the same report dir is replaced with its reports
  rmSync(join(reportDir, 'ledger.jsonl'), { force: true });
  rmSync(ledgerLockOf(join(reportDir, 'ledger.jsonl')), { force: true });
  let hardStopped = false;
  const results = await runConformance({
    ...settings,
    // --timeout is a wall for the whole command: start-up counts against it too
    deadlineAt: Math.round(performance.timeOrigin) + settings.timeoutSeconds! * 1000,
    onHardStop: () => (hardStopped = true),
    providers: ids,
    specsDir,
    shard,
    // progress never touches stdout: one line per finished check on stderr (what a CI log or a terminal shows)
    progress: settings.quiet ? undefined : (line) => process.stderr.write(`${redact(line)}\n`),
    // on a terminal only: one line rewritten in place (a CI log gets the finished-check lines alone)
    live: settings.quiet ? undefined : liveLine(process.stderr),
    // live: every create reserves its documented price in a ledger beside the reports; --budget caps it
    ledgerFile: join(reportDir, 'ledger.jsonl'),
    ...spendingOptions(plan, settings, budgets?.total),
    ...(budgets?.month ? { monthCap: budgets.month } : {}),
  }).catch((err: unknown) => {
    // a run refused before it judged anything (no check applies) leaves no empty report folder or history behind
    undoCreated();
    throw err;
  });
  // a report that cannot be finished (RUN_INCOMPLETE, a write error) is a harness error
  let code: number = EXIT.HARNESS;
  try {
    code = report(settings, results, past, reportDir);
    return code;
  } finally {
    // a stopped run's leftovers (a worker stuck in a hung --client import) must not keep the CLI up once reported,
    // and the stopped vitest's own handlers (an unhandled rejection of its pool exits with 1) must not change the code
    if (hardStopped) {
      process.on('exit', () => (process.exitCode = code));
      setTimeout(() => process.exit(code), 250).unref();
    }
  }
}
