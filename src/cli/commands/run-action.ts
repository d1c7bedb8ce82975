import { existsSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, HarnessError } from '../../core/errors.ts';
import { redact, redactValue, registerSecret } from '../../core/redact.ts';
import { defaultSpecsDir, listSpecIds } from '../../spec/load-spec.ts';
import { exitCodeOf } from '../../report/build-results.ts';
import { REPORT_FILES, writeReport } from '../../report/write-report.ts';
import { appendHistory } from '../../report/append-history.ts';
import { annotations, writeStepSummary } from '../../report/github-actions.ts';
import { SUITE_FAMILIES } from '../../run/suite-families.ts';
import { readHistory } from '../../report/history-line.ts';
import { compareRuns, findReference } from '../../report/compare-runs.ts';
import { FAMILIES } from '../../checks/registry.ts';
import { parseIntFlag } from '../parse-flags.ts';
import { assertWritable } from '../../core/atomic-write.ts';
import { runConformance } from '../../run/run-conformance.ts';
import { parseBudget, parseBudgets, planSpend, type Budgets, type SpendPlan } from '../../run/plan-spend.ts';
import { renderNights, planJson } from './render-plan.ts';
import { startMocks, stopMocks } from '../../mock/start-mocks.ts';
import type { HistoryLine } from '../../report/history-line.ts';
import type { PriceEstimate } from '../../spec/price.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { formatTable } from '../../core/table.ts';
interface RunFlags {
  provider?: string[];
  all?: boolean;
  target: string;
  baseUrl?: string[];
  apiKeyEnv?: string;
  secretKeyEnv?: string;
  seed: string;
  reportDir?: string;
  allowPaid?: boolean;
  timeout: string;
  pollInterval: string;
  client?: string;
  family?: string[];
  concurrency: string;
  mockClaims: string;
  quiet?: boolean;
  strict?: boolean;
  maxVideoMb?: string;
  requestTimeout: string;
  dryRun?: boolean;
  json?: boolean;
  history: string;
  compareTo?: string;
  failOn: string;
  budget?: string[] | string;
  budgetMonth?: string;
  checks?: string[];
  excludeChecks?: string[];
  maxFailures?: string;
  header?: string[];
  shard?: string;
}

/** The status line drawn in place on a terminal, cut to its width, colourless (NO_COLOR or not). */
function liveLine(out: NodeJS.WriteStream): { show(line: string): void; clear(): void } {
  let drawn = false;
  return {
    show: (line) => {
      const width = Math.max(40, (out.columns || 120) - 1);
      out.write(`\r\x1b[2K${redact(line).slice(0, width)}`);
      drawn = true;
    },
    clear: () => {
      if (drawn) out.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** `i/n` with 1 ≤ i ≤ n ≤ the number of suite files (vitest shards files). */
function parseShard(text: string): string {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const files = Object.keys(SUITE_FAMILIES).length;
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]) || Number(m[2]) > files)
    throw new HarnessError('USAGE', `--shard ${text} is not i/n with 1 ≤ i ≤ n ≤ ${files}`, {
      fix: `pass e.g. --shard 1/2 and --shard 2/2 on two machines (the suites are ${files} files)`,
    });
  return `${m[1]}/${m[2]}`;
}

/** -H 'Name: value' → { name: value }; the values are registered for redaction (a header may carry a secret). */
function parseHeaders(values: string[]): Record<string, string> | undefined {
  if (!values.length) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(v);
    if (!m)
      throw new HarnessError('USAGE', '-H takes a header as "Name: value" (the value given is not shown)', {
        fix: "pass e.g. -H 'X-Route: eu-1'",
      });
    registerSecret(m[2]!);
    out[m[1]!.toLowerCase()] = m[2]!;
  }
  return out;
}

/** "https://x" for all providers, or "<provider-id>=https://x" per provider. */
function parseBaseUrls(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([a-z0-9][a-z0-9.-]*)=(https?:\/\/.+)$/.exec(v);
    const [id, url] = m ? [m[1]!, m[2]!] : ['*', v];
    try {
      new URL(url);
    } catch {
      throw new HarnessError('USAGE', `--base-url ${v} is not a URL`, {
        fix: 'pass e.g. --base-url https://api.gateway.example',
      });
    }
    out[id] = url;
  }
  return out;
}

const money = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([c, n]) => `${n} ${c}`)
    .join(' + ') || '0';

/** A documented price, or why there is none. */
const priceText = (p: PriceEstimate | undefined) =>
  p?.amount !== undefined ? `${p.amount} ${p.currency}` : (p?.explanation ?? 'unknown');

/** The dry-run listing: every request in order with its documented cost, then the totals. */
function renderPlan(plan: SpendPlan): string {
  const rows = plan.requests.map((r, i) => [
    String(i + 1),
    r.provider,
    r.check,
    `${r.method} ${r.url}`,
    r.cost === 'free' ? 'free' : `${priceText(r.price)}${r.cost === 'if-accepted' ? ' if wrongly accepted' : ''}`,
  ]);
  return [
    formatTable(['#', 'provider', 'check', 'request', 'cost'], rows),
    '',
    `${plan.requests.length} requests; expected spend ${money(plan.expected)}; worst case ${money(plan.worstCase)}` +
      `${plan.unpriced.length ? `; no published price for ${plan.unpriced.join(', ')}` : ''}. Nothing was sent.`,
    ...renderNights(plan),
  ].join('\n');
}

/** The budget flags, and what this calendar month (UTC) already spent by the history's ledger totals. */
function budgetsOf(flags: RunFlags, past: HistoryLine[]): Budgets | undefined {
  const values = flags.budget === undefined ? [] : [flags.budget].flat();
  const budgets: Budgets = parseBudgets(values);
  if (flags.budgetMonth) {
    const cap = parseBudget(flags.budgetMonth);
    const month = new Date().toISOString().slice(0, 7);
    const spent = past
      .filter((l) => l.target === 'live' && l.startedAt.startsWith(month))
      .reduce((n, l) => n + (l.spend?.[cap.currency] ?? 0), 0);
    budgets.month = { ...cap, spent: Math.round(spent * 10000) / 10000 };
  }
  return budgets.total || budgets.perProvider || budgets.month ? budgets : undefined;
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

export async function action0(program: Command, flags: RunFlags): Promise<number> {
  const specsDir = program.opts().specs ?? defaultSpecsDir();
  if (flags.failOn !== 'any' && flags.failOn !== 'new')
    throw new HarnessError('USAGE', `--fail-on must be any or new (got ${flags.failOn})`, {
      fix: 'use --fail-on new with --compare-to last to page only on new failures',
    });
  if (flags.target !== 'mock' && flags.target !== 'live')
    throw new HarnessError('USAGE', `--target must be mock or live (got ${flags.target})`, {
      fix: 'use --target mock or --target live',
    });
  if (flags.mockClaims !== 'mock' && flags.mockClaims !== 'other')
    throw new HarnessError('USAGE', `--mock-claims must be mock or other`, { fix: 'use --mock-claims other' });
  const ids = flags.provider?.length ? flags.provider : listSpecIds(specsDir);
  const known = listSpecIds(specsDir);
  for (const id of ids)
    if (!known.includes(id))
      throw new HarnessError('USAGE', `unknown provider "${id}"`, { fix: `use one of: ${known.join(', ')}` });
  const baseUrls = parseBaseUrls(flags.baseUrl ?? []);
  if (flags.target === 'live' && !flags.baseUrl?.length)
    throw new HarnessError('USAGE', 'a live run needs --base-url', {
      fix: 'pass --base-url https://gateway.example (or <provider-id>=<url>)',
    });
  const seed = parseIntFlag('--seed', flags.seed, 0);
  for (const f of flags.family ?? [])
    if (!(FAMILIES as readonly string[]).includes(f))
      throw new HarnessError('USAGE', `unknown check family "${f}"`, { fix: `use one of: ${FAMILIES.join(', ')}` });
  const reportDir = resolve(flags.reportDir ?? `reports/${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const historyFile = resolve(flags.history);
  // the runs before this one (read before sending anything: an unreadable history stops the run, not its report)
  // — tonight's paid rotation, the monthly cap, the reference for --compare-to, and the trends in report.html
  // (a history that is not a regular file, e.g. /dev/full, has no past to read: appending to it is what fails)
  const past = existsSync(historyFile) && statSync(historyFile).isFile() ? readHistory(historyFile).lines : [];
  const budgets = budgetsOf(flags, past);
  if (budgets && flags.target !== 'live')
    throw new HarnessError('USAGE', '--budget applies to live runs', {
      fix: 'add --target live, or drop --budget (mocks cost nothing)',
    });
  let plan: SpendPlan | undefined;
  if (flags.dryRun || flags.target === 'live') {
    const specs = await Promise.all(ids.map((id) => loadSpecById(id, specsDir)));
    plan = await planSpend(specs, {
      baseUrls: flags.target === 'mock' ? await mockUrls(specs) : baseUrls,
      // a mock run sends every paid request (nothing is billed there); a live one only with --allow-paid
      allowPaid: flags.target === 'mock' || Boolean(flags.allowPaid),
      live: flags.target === 'live',
      seed,
      selection: { families: flags.family, checks: flags.checks, excludeChecks: flags.excludeChecks },
      budgets,
      history: past,
    });
    if (flags.dryRun) {
      console.log(flags.json ? JSON.stringify(planJson(plan, flags.target), null, 2) : renderPlan(plan));
      return EXIT.OK;
    }
    // before anything is sent: what the run costs by the documents, and the most it can cost
    process.stderr.write(
      `spend (documented prices): expected ${money(plan.expected)}, worst case ` +
        `${money(plan.worstCase)}${plan.unpriced.length ? `; unpriced: ${plan.unpriced.join(', ')}` : ''}\n`,
    );
  }
  assertWritable(reportDir, historyFile);
  // the ledger is this run's: one a previous run left in the same report dir is replaced with its reports
  rmSync(join(reportDir, 'ledger.jsonl'), { force: true });
  const results = await runConformance({
    providers: ids,
    target: flags.target,
    baseUrls,
    apiKeyEnv: flags.apiKeyEnv,
    secretKeyEnv: flags.secretKeyEnv,
    seed,
    allowPaid: Boolean(flags.allowPaid),
    timeoutSeconds: parseIntFlag('--timeout', flags.timeout),
    pollIntervalMs: parseIntFlag('--poll-interval', flags.pollInterval),
    specsDir,
    clientModule: flags.client ? resolve(flags.client) : undefined,
    families: flags.family,
    checks: flags.checks,
    excludeChecks: flags.excludeChecks,
    maxFailures: flags.maxFailures === undefined ? undefined : parseIntFlag('--max-failures', flags.maxFailures, 1),
    headers: parseHeaders(flags.header ?? []),
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
    concurrency: parseIntFlag('--concurrency', flags.concurrency),
    mockClaims: flags.mockClaims,
    strict: Boolean(flags.strict),
    // progress never touches stdout: one line per finished check on stderr (what a CI log or a terminal shows)
    progress: flags.quiet ? undefined : (line) => process.stderr.write(`${redact(line)}\n`),
    // on a terminal only: one line rewritten in place (a CI log gets the finished-check lines alone)
    live: flags.quiet || !process.stderr.isTTY ? undefined : liveLine(process.stderr),
    requestTimeoutMs: parseIntFlag('--request-timeout', flags.requestTimeout, 1) * 1000,
    maxVideoBytes:
      flags.maxVideoMb === undefined ? undefined : parseIntFlag('--max-video-mb', flags.maxVideoMb, 1) * 1024 * 1024,
    // live: every create reserves its documented price in a ledger beside the reports; --budget caps it
    ledgerFile: join(reportDir, 'ledger.jsonl'),
    budget: budgets?.total,
    ledgerLimits: plan && {
      perProvider: Object.fromEntries(plan.nights.flatMap((n) => (n.budget ? [[n.provider, n.budget]] : []))),
      earmarks: Object.fromEntries(plan.nights.map((n) => [n.provider, n.earmarks])),
      // a shard sends only part of the risky creates: its paid ones cannot wait for all of them
      ...(flags.shard
        ? {}
        : { riskyPlanned: Object.fromEntries(plan.nights.map((n) => [n.provider, n.riskyPlanned])) }),
      // paid creates wait for the risky ones at most half the run's time
      riskyPhaseUntil: Date.now() + (parseIntFlag('--timeout', flags.timeout) * 1000) / 2,
    },
    paidPicks: plan && Object.fromEntries(plan.nights.map((n) => [n.provider, n.picks])),
    paidPlan:
      plan &&
      planJson(plan, flags.target).nights.map((n) => ({
        provider: n.provider,
        night: n.night,
        ...(n.budget ? { budget: n.budget } : {}),
        picked: n.picked,
        skippedForBudget: n.skippedForBudget,
      })),
  });
  const reference = flags.compareTo ? findReference(past, results, flags.compareTo) : undefined;
  if (flags.compareTo && !reference && flags.compareTo !== 'last')
    throw new HarnessError('USAGE', `no run ${flags.compareTo} in ${historyFile}`, {
      fix: 'pass a run id from the history, or --compare-to last',
    });
  const changes = reference ? compareRuns(results, reference, past) : undefined;
  const summary = writeReport(reportDir, results, changes, past);
  if (flags.json) console.log(JSON.stringify(redactValue(results), null, 2));
  else if (!flags.quiet) console.log(redact(summary));
  appendHistory(historyFile, results, reportDir);
  // under GitHub Actions: the summary on the job page and an annotation per failing check
  if (process.env.GITHUB_STEP_SUMMARY) writeStepSummary(process.env.GITHUB_STEP_SUMMARY, summary);
  if (process.env.GITHUB_ACTIONS === 'true') for (const line of annotations(results)) process.stderr.write(`${line}\n`);
  process.stderr.write(
    `reports written to ${reportDir} (${REPORT_FILES.join(', ')}); run appended to ${historyFile}\n`,
  );
  if (results.run.incomplete) {
    // the report lists what did come back; the run itself is a harness error
    throw new HarnessError(
      'RUN_INCOMPLETE',
      `${results.run.incomplete.missing} planned check(s) reported no result: ` +
        `${results.run.incomplete.problems.join('; ')}`,
      {
        fix:
          'this is a harness problem, not a provider finding: check --client (it must ' +
          'export `adapter`), --specs, and the machine (a killed worker); the report lists ' +
          'what did come back',
      },
    );
  }
  if (flags.failOn === 'new')
    return changes ? (changes.newlyFailing.length ? EXIT.FINDINGS : EXIT.OK) : exitCodeOf(results);
  return exitCodeOf(results);
}
