import { existsSync, statSync } from 'node:fs';
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
import { checkBudget, parseBudget, planSpend, type SpendPlan } from '../../run/plan-spend.ts';
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
  budget?: string;
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
  ].join('\n');
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
  if (flags.dryRun || flags.target === 'live') {
    const specs = await Promise.all(ids.map((id) => loadSpecById(id, specsDir)));
    const plan = await planSpend(specs, {
      baseUrls,
      allowPaid: Boolean(flags.allowPaid),
      seed,
      selection: { families: flags.family, checks: flags.checks, excludeChecks: flags.excludeChecks },
    });
    if (flags.dryRun) {
      console.log(renderPlan(plan));
      return EXIT.OK;
    }
    // before anything is sent: what the run costs by the documents, and the most it can cost
    process.stderr.write(
      `spend (documented prices): expected ${money(plan.expected)}, worst case ` +
        `${money(plan.worstCase)}${plan.unpriced.length ? `; unpriced: ${plan.unpriced.join(', ')}` : ''}\n`,
    );
    if (flags.budget) checkBudget(plan, parseBudget(flags.budget));
  } else if (flags.budget) {
    throw new HarnessError('USAGE', '--budget applies to live runs', {
      fix: 'add --target live, or drop --budget (mocks cost nothing)',
    });
  }
  const reportDir = resolve(flags.reportDir ?? `reports/${new Date().toISOString().replace(/[:.]/g, '-')}`);
  const historyFile = resolve(flags.history);
  assertWritable(reportDir, historyFile);
  // the runs before this one (read before sending anything: an unreadable history stops the run, not its report)
  // — the reference for --compare-to, and the trends in report.html
  // (a history that is not a regular file, e.g. /dev/full, has no past to read: appending to it is what fails)
  const past = existsSync(historyFile) && statSync(historyFile).isFile() ? readHistory(historyFile).lines : [];
  let hardStopped = false;
  const results = await runConformance({
    providers: ids,
    target: flags.target,
    baseUrls,
    apiKeyEnv: flags.apiKeyEnv,
    secretKeyEnv: flags.secretKeyEnv,
    seed,
    allowPaid: Boolean(flags.allowPaid),
    timeoutSeconds: parseIntFlag('--timeout', flags.timeout),
    // --timeout is a wall for the whole command: start-up counts against it too
    deadlineAt: Math.round(performance.timeOrigin) + parseIntFlag('--timeout', flags.timeout) * 1000,
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
    budget: flags.budget ? parseBudget(flags.budget) : undefined,
    onHardStop: () => (hardStopped = true),
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
  // a stopped run's leftovers (a worker stuck in a hung --client import) must not keep the CLI up once reported
  if (hardStopped) setTimeout(() => process.exit(process.exitCode ?? EXIT.HARNESS), 250).unref();
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
