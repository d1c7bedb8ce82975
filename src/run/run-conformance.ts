import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_EXT, CODE_ROOT, packageVersion } from '../core/package-paths.ts';
import { startVitest } from 'vitest/node';
import { judgedByClient } from './client-providers.ts';
import { vitestStreams } from './vitest-streams.ts';
import { HarnessError } from '../core/errors.ts';
import { registerSecret } from '../core/redact.ts';
import { ledgerLockOf, SpendLedger } from '../core/spend-ledger.ts';
import { loadSpecById, validatedSpecDigests } from '../spec/load-spec.ts';
import { specRecord } from '../spec/spec-record.ts';
import { stopMocks, type RunningMock } from '../mock/start-mocks.ts';
import { buildResults, type RunResults } from '../report/build-results.ts';
import { liveTargets, startMockTargets, type Targets } from './run-targets.ts';
import { ledgerBeforeChecks } from './before-checks.ts';
import { ResultCollector, type LiveStatus } from './result-collector.ts';
import { RunWatchdog, suitesWithin, type StopReason } from './run-watchdog.ts';
import { familiesOfSuite, shardFamilies, shardSuiteFiles, suiteFilesFor } from './suite-families.ts';
import { planKey, planRun, type PlannedCheck } from './plan-run.ts';
import type { CheckResult } from '../checks/types.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { RunConfig } from '../worker/run-config.ts';
import { workerSettings, type RunnerSettings } from '../core/run-settings.ts';
import { parseCallbackPreviousSecret } from '../core/webhook-settings.ts';
import { assertWebhookPair } from '../validate/webhook-settings.ts';

/**
 * The runner's options: every runner and worker setting of the table (src/core/run-settings-table.ts), plus what only a
 * program can hand over (the spec folder, where to report progress, the ledger file and the parsed budget).
 */
export { liveCredentials, MOCK_KEY_ENV, MOCK_SECRET_ENV } from './run-targets.ts';

export interface RunOptions extends RunnerSettings {
  providers: string[];
  specsDir: string;
  /** live runs: where the spend ledger is kept (default: none), and the budget it stops paid requests at */
  ledgerFile?: string;
  budget?: { amount: number; currency: string };
  /** live runs: tonight's spending plan — per-provider budgets and earmarks, and the paid picks per provider */
  ledgerLimits?: RunConfig['ledgerLimits'];
  paidPicks?: RunConfig['paidPicks'];
  /** tonight's plan as the report states it (picked, skipped for budget and when due) */
  paidPlan?: NonNullable<RunResults['run']['spend']>['plan'];
  /** --budget-month: the cap and what the history's live runs spent this month before this run */
  monthCap?: { amount: number; currency: string; spent: number };
  /** one line per finished check, as it finishes (default: none) */
  progress?: (line: string) => void;
  /** a terminal's live line: the running check, its probe's last step (poll status), elapsed / timeout */
  live?: Omit<LiveStatus, 'timeoutSeconds'>;
  /** the run's hard deadline, epoch ms (default: --timeout from now; the CLI counts from its own start) */
  deadlineAt?: number;
  /** called when the runner had to stop vitest itself (deadline, dead worker): its leftovers may keep a process up */
  onHardStop?: () => void;
}

/**
 * The main job: plan the (provider × check) pairs, start mocks (or check the live targets), drive the vitest suites
 * over the plan, collect one CheckResult per pair, stop what was started. The caller's environment is left as it was.
 */
export async function runConformance(options: RunOptions): Promise<RunResults> {
  const startedAt = new Date().toISOString();
  const runId = `${startedAt.replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  const settings = workerSettings(options);
  // --timeout bounds the whole run: the probe, every request, poll and check, a --client import
  const deadlineAt = options.deadlineAt ?? Date.parse(startedAt) + settings.timeoutSeconds * 1000;
  const allSpecs = await Promise.all(options.providers.map((id) => loadSpecById(id, options.specsDir)));
  assertWebhookPair(allSpecs, options);
  registerSecret(options.callbackSecret); // (the CLI registered it when parsing; a library caller may not have)
  // a rotated-out secret only beside a current one (parsing registers it for redaction too)
  if (options.callbackPreviousSecret !== undefined)
    parseCallbackPreviousSecret(options.callbackPreviousSecret, options.callbackSecret);
  // a client that declares the providers it speaks is judged on those; the others' checks come back skipped
  const { judged: specs, notJudged } = await judgedByClient(allSpecs, { ...options, deadlineAt });
  const plan = planOrRefuse(specs, options);
  let mocks: RunningMock[] = [];
  let hardStopped = false;
  try {
    const targets =
      settings.target === 'mock'
        ? await startMockTargets(specs, options)
        : await liveTargets(specs, options, deadlineAt);
    mocks = targets.mocks;
    const config: RunConfig = {
      ...settings,
      runId,
      providers: targets.providers,
      apiKeyEnv: targets.apiKeyEnv,
      secretKeyEnv: targets.secretKeyEnv,
      allowPaid: settings.target === 'mock' || settings.allowPaid,
      specsDir: options.specsDir,
      trustedSpecDigests: validatedSpecDigests(),
      plan: plan.map(({ provider, id }) => ({ provider, id })),
      deadlineAt,
      ...(targets.routeProbes ? { routeProbes: targets.routeProbes } : {}),
      ...(settings.target === 'live' && options.ledgerFile
        ? {
            ledgerFile: options.ledgerFile,
            budget: options.budget,
            ledgerLimits: options.ledgerLimits,
            paidPicks: options.paidPicks,
          }
        : {}),
    };
    // what was sent before the checks is in the ledger (free) and the report, as the plan listed it
    if (settings.target === 'live') ledgerBeforeChecks(config.ledgerFile, targets.sentBeforeChecks ?? []);
    // the deadline passed before any check could start (a slow start-up, a probe it cut): nothing more is started, and
    // every planned check is reported as ended by it — a report, never a harness error
    if (Date.now() >= deadlineAt)
      return buildResults(
        { ...runRecord(config, options, startedAt, allSpecs), ...beforeChecksOf(targets) },
        [...endedBeforeChecks(plan, options, settings.timeoutSeconds, targets.cutProbe), ...notJudged],
        packageVersion(),
      );
    const { collector, stopped } = await driveSuites(plan, config, targets.workerEnv, options);
    // a shard answers for the families of the suite files vitest gave it, no more
    const families = new Set(collector.modules.flatMap(familiesOfSuite));
    const planned = options.shard ? plan.filter((p) => families.has(p.family)) : plan;
    const { results, incomplete } = reconcile(
      planned,
      collector,
      options.maxFailures,
      stopped,
      settings.timeoutSeconds,
    );
    hardStopped = stopped !== undefined;
    // a worker frozen while it held the ledger's lock: no one takes it now, and it is not part of the report
    if (hardStopped && config.ledgerFile) rmSync(ledgerLockOf(config.ledgerFile), { force: true });
    return buildResults(
      { ...runRecord(config, options, startedAt, allSpecs), ...beforeChecksOf(targets) },
      [...results, ...notJudged],
      packageVersion(),
      incomplete,
    );
  } finally {
    // after a hard stop nobody waits for the answers in flight (the workers are frozen): the mocks close at once
    await stopMocks(mocks, hardStopped ? { drainMs: 0 } : {});
  }
}

/** live: the requests sent before the checks, as the report lists them (free: none carries a key) */
const beforeChecksOf = (t: Targets) => (t.sentBeforeChecks?.length ? { beforeChecks: t.sentBeforeChecks } : {});

/** The deadline passed before any check started: every planned check (of this shard's files) ends as its error. */
function endedBeforeChecks(
  plan: PlannedCheck[],
  options: RunOptions,
  timeoutSeconds: number,
  cutProbe: string | undefined,
): CheckResult[] {
  const mine = options.shard ? shardFamilies(options.shard) : undefined;
  const planned = mine ? plan.filter((p) => mine.has(p.family)) : plan;
  const cut = cutProbe ? ` (${cutProbe} had not answered the reachability probe)` : '';
  return pastDeadline(planned, { results: [] }, timeoutSeconds, `before any check started${cut}`).results;
}

/** Every (provider, check) pair the selection keeps; a run that would judge nothing is refused. */
export function planOrRefuse(specs: ProviderSpec[], options: RunOptions): PlannedCheck[] {
  const plan = planRun(specs, {
    families: options.families,
    checks: options.checks,
    excludeChecks: options.excludeChecks,
  });
  if (plan.length > 0) return plan;
  throw new HarnessError(
    'NO_CHECKS',
    [
      `no check applies to ${options.providers.join(', ')}`,
      options.families ? ` in the families ${options.families.join(', ')}` : '',
      options.checks || options.excludeChecks ? ` matching --checks ${options.checks?.join(' ') ?? '*'}` : '',
      options.excludeChecks ? ` but not ${options.excludeChecks.join(' ')}` : '',
    ].join(''),
    { fix: 'widen --family, --checks, --exclude-checks or --provider; a run that judges nothing is not a pass' },
  );
}

/**
 * vitest over the suite files the plan needs, the run's config provided to the workers and the mocks' keys set in
 * their environment only. A shard splits all the files, as `merge` expects (a file whose checks are not in the plan
 * reports nothing).
 */
async function driveSuites(
  plan: PlannedCheck[],
  config: RunConfig,
  workerEnv: Record<string, string>,
  options: RunOptions,
): Promise<{ collector: ResultCollector; stopped?: StopReason }> {
  const collector = new ResultCollector(
    options.progress,
    options.live ? { ...options.live, timeoutSeconds: config.timeoutSeconds } : undefined,
  );
  // a shard runs the files shardSuiteFiles gives it (all of them split, as `merge` expects), not vitest's own cut
  const files = options.shard ? shardSuiteFiles(options.shard) : suiteFilesFor(new Set(plan.map((p) => p.family)));
  const watchdog = new RunWatchdog(config.deadlineAt);
  const running = startVitest(
    'test',
    files,
    {
      // the suites beside this code: suites/*.suite.ts from source, dist/suites/*.suite.js from the build
      root: CODE_ROOT,
      config: join(CODE_ROOT, `suites/vitest.config${CODE_EXT}`),
      run: true,
      watch: false,
      // --max-failures: vitest stops scheduling tests after this many failed ones (fail or unjudged checks)
      ...(options.maxFailures ? { bail: options.maxFailures } : {}),
      // a live run's providers run side by side in each suite file (define-suite.ts): room for every provider's lane
      maxConcurrency: Math.max(5, config.providers.length),
      ...workerSharing(config, files.length),
      // JUnit is written by us from the results (redacted, atomically), never by vitest during the run
      reporters: [collector, watchdog],
      provide: { run: config },
      env: workerEnv,
    } as never,
    undefined,
    vitestStreams(),
  );
  const stopped = await suitesWithin(running, watchdog);
  if (stopped) options.onHardStop?.();
  return { collector, stopped };
}

/**
 * How the suite files share worker processes. A mock run judging the reference client: one worker runs its files one
 * after another with one module cache (isolate false) — starting a worker (loading the harness) costs more CPU than
 * most files' checks on a mock — plus one per three more providers, so `--all` still runs files side by side. A live
 * run keeps the config's worker per file: its files wait on the gateways side by side (a create held for spend in one
 * file never queues the others), and a --client module gets a fresh process per file (a client that kills its process
 * takes its own file's results only).
 */
export function workerSharing(
  config: Pick<RunConfig, 'target' | 'clientModule' | 'providers'>,
  files: number,
): { isolate?: false; maxWorkers?: number } {
  if (config.target !== 'mock' || config.clientModule) return {};
  return { isolate: false, maxWorkers: Math.max(1, Math.min(files, Math.ceil(config.providers.length / 3))) };
}

/** What results.json says about the run itself. */
function runRecord(
  config: RunConfig,
  options: RunOptions,
  startedAt: string,
  specs: ProviderSpec[],
): Parameters<typeof buildResults>[0] {
  return {
    id: config.runId,
    target: config.target,
    // which spec each provider was judged by: drift --between says when it changed between two runs
    providers: config.providers.map((p) => {
      const spec = specs.find((s) => s.id === p.id);
      return spec ? { ...p, spec: specRecord(spec) } : p;
    }),
    seed: config.seed,
    startedAt,
    endedAt: new Date().toISOString(),
    allowPaid: config.allowPaid,
    client: config.clientModule ?? 'reference',
    mockClaims: config.target === 'mock' ? (options.mockClaims ?? 'mock') : undefined,
    strict: config.strict,
    ...(options.shard ? { shard: options.shard } : {}),
    ...(options.runId ? { shardOf: options.runId } : {}),
    ...(config.ledgerFile
      ? {
          spend: spendOf(
            new SpendLedger(config.ledgerFile, config.budget, config.ledgerLimits),
            options.paidPlan,
            options.monthCap,
          ),
        }
      : {}),
  };
}

export type SpendSummary = NonNullable<RunResults['run']['spend']>;

/** What the ledger says the run spent (documented prices), and what is left of the budget. */
export function spendOf(
  ledger: Pick<SpendLedger, 'totals' | 'limits' | 'budget' | 'spentByProvider'>,
  plan: SpendSummary['plan'],
  month?: RunOptions['monthCap'],
): SpendSummary {
  const t = ledger.totals();
  const own = Object.values(ledger.limits.perProvider ?? {});
  const b = ledger.budget ?? (own.length === 1 ? own[0] : undefined);
  // each provider's own spend tonight: what its night banks is its budget less this
  const spentBy = plan?.length ? ledger.spentByProvider() : {};
  const nights = plan?.map((n) => ({ ...n, spent: spentBy[n.provider]?.[n.budget?.currency ?? ''] ?? 0 }));
  return {
    ...(nights?.length ? { plan: nights } : {}),
    documented: t.spent,
    tasks: t.tasks,
    ...(t.tasksByProvider ? { tasksByProvider: t.tasksByProvider } : {}),
    mistakenTasks: t.mistakenTasks,
    cancelled: t.cancelled,
    ...(b ? { budget: { ...b, left: Math.round((b.amount - (t.spent[b.currency] ?? 0)) * 10000) / 10000 } } : {}),
    ...(month ? { month: monthOf(month, t.spent[month.currency] ?? 0) } : {}),
  };
}

/** The monthly cap after this run: what the month spent before it, and what is left once tonight's spend is off. */
function monthOf(m: NonNullable<RunOptions['monthCap']>, tonight: number): NonNullable<SpendSummary['month']> {
  const left = Math.max(0, Math.round((m.amount - m.spent - tonight) * 10000) / 10000);
  return { amount: m.amount, currency: m.currency, spentBefore: m.spent, left };
}

/**
 * Compares what came back with what was planned. A pair with no result (a suite that did not load, a worker
 * that died, a test that threw outside its check) is reported as `error` and makes the run incomplete (exit 2).
 */
export function reconcile(
  plan: PlannedCheck[],
  collector: Pick<ResultCollector, 'results' | 'problems'>,
  maxFailures?: number,
  stopped?: StopReason,
  timeoutSeconds?: number,
): { results: CheckResult[]; incomplete?: { missing: number; problems: string[] } } {
  if (stopped?.kind === 'deadline') return pastDeadline(plan, collector, timeoutSeconds);
  if (stopped?.kind === 'dead-worker')
    collector.problems.push(`a test worker died (${describeStop(stopped)}) and the run was stopped`);
  if (stopped?.kind === 'vitest-error' && !stopped.closing) collector.problems.push(stopped.message);
  const got = new Map(collector.results.map((r) => [planKey(r), r]));
  const failed = collector.results.filter((r) => r.status === 'fail' || r.status === 'error').length;
  if (maxFailures && failed >= maxFailures) {
    // stopped on purpose: what did not run is skipped with the reason, and the run is not incomplete
    const skipped: CheckResult[] = plan
      .filter((p) => !got.has(planKey(p)))
      .map((p) => ({ ...p, status: 'skip', message: `not run: --max-failures ${maxFailures} reached`, durationMs: 0 }));
    const results = [...plan.filter((p) => got.has(planKey(p))).map((p) => got.get(planKey(p))!), ...skipped];
    const problems = collector.problems.filter((p) => p !== 'the test run was interrupted');
    return { results, incomplete: problems.length ? { missing: 0, problems } : undefined };
  }
  const missing = plan.filter((p) => !got.has(planKey(p)));
  const why = collector.problems.length
    ? collector.problems.join('; ')
    : stopped?.kind === 'vitest-error'
      ? stopped.message
      : 'the suite ended before this check reported (a worker that died?)';
  const placeholders: CheckResult[] = missing.map((p) => ({
    ...p,
    status: 'error',
    message: `no result came back: ${why}`,
    findings: [{ kind: 'evidence', message: 'no result came back from the suite' }],
    durationMs: 0,
  }));
  const results = [...plan.filter((p) => got.has(planKey(p))).map((p) => got.get(planKey(p))!), ...placeholders];
  const problems = [...collector.problems];
  if (missing.length && !problems.length)
    problems.push(`${missing.length} of ${plan.length} planned checks reported no result`, ...closeError(stopped));
  return {
    results,
    incomplete: missing.length || collector.problems.length ? { missing: missing.length, problems } : undefined,
  };
}

/** vitest's close failing after its run (a pool whose worker died): why some pairs are missing */
const closeError = (s?: StopReason) => (s?.kind === 'vitest-error' ? [s.message] : []);

const describeStop = (s: StopReason & { kind: 'dead-worker' }) =>
  `pid ${s.pid}${s.module ? `, ${s.module.split('/').pop()}` : ''}`;

/**
 * The run was stopped at its deadline: what did not come back is `error: deadline` with the reason ("the run's
 * --timeout of 15 s ended it before this check reported") — findings data, not a crash.
 */
export function pastDeadline(
  plan: PlannedCheck[],
  collector: Pick<ResultCollector, 'results'>,
  timeoutSeconds?: number,
  when = 'before this check reported',
): { results: CheckResult[] } {
  const got = new Map(collector.results.map((r) => [planKey(r), r]));
  const timeout = timeoutSeconds === undefined ? '--timeout' : `--timeout of ${timeoutSeconds} s`;
  return {
    results: plan.map(
      (p) =>
        got.get(planKey(p)) ?? {
          ...p,
          status: 'error',
          message: `deadline: the run's ${timeout} ended it ${when}`,
          findings: [{ kind: 'evidence', message: 'deadline' }],
          durationMs: 0,
        },
    ),
  };
}
