import { formatMarkdownTable } from '../core/table.ts';
import { everyCheckCaption } from '../core/plural.ts';
import type { RunResults } from './build-results.ts';
import { causeLines, findCauses, STATUS_ORDER } from './causes.ts';
import { findingLine, repeatsMessage } from './finding-text.ts';
import { billableTasksLine, runFacts, runName, runNotes, runTimes, sentBillable } from './run-label.ts';
import { noiseLines } from './noise-lines.ts';

const MARK = {
  pass: '✅ pass',
  fail: '❌ fail',
  warn: '🟡 warn',
  info: 'ℹ️ info',
  skip: '⏭ skip',
  error: '⚠️ error',
} as const;

/**

 * Spend first: what the ledger says the run cost by the documented prices, its tasks, and what is left of the budget.

 */
export function spendLine(spend: NonNullable<RunResults['run']['spend']>): string {
  const money =
    Object.entries(spend.documented)
      .map(([c, n]) => `${n} ${c}`)
      .join(' + ') || '0';
  const mistakes = spend.mistakenTasks
    ? ` (${spend.mistakenTasks} from requests the documents forbid, ${spend.cancelled} cancelled)`
    : '';
  const left = spend.budget
    ? ` · budget left: ${spend.budget.left} ${spend.budget.currency} of ${spend.budget.amount}`
    : '';
  const m = spend.month;
  const month = m
    ? ` · monthly cap (--budget-month, shared by every provider and run in the history): ${m.left} ${m.currency} ` +
      `left of ${m.amount} (${m.spentBefore} spent this month before this run)`
    : '';
  return `**Spend this run (documented prices): ${money}** · billable tasks: ${spend.tasks}${mistakes}${left}${month}`;
}

/** ", what the run-wide 1 USD leaves of its own 0.8 USD" where the run-wide budget cut a provider's own */
const cutText = (n: { ownBudget?: { amount: number; currency: string }; runWideBudget?: { amount: number } }) =>
  n.ownBudget && n.runWideBudget
    ? `, what the run-wide ${n.runWideBudget.amount} ${n.ownBudget.currency} leaves of its own ${n.ownBudget.amount}`
    : '';

/** Tonight's paid picks per provider, and each paid check skipped for budget with when it is due. */
export function planLines(plan: NonNullable<RunResults['run']['spend']>['plan']): string[] {
  if (!plan?.length) return [];
  return plan.flatMap((n) => [
    `Paid plan for ${n.provider}, night ${n.night}` +
      `${n.budget ? ` (budget ${n.budget.amount} ${n.budget.currency}${cutText(n)})` : ''}: ` +
      `picked ${n.picked.join(', ')}` +
      `${n.skippedForBudget.length ? `; ${n.skippedForBudget.length} paid checks skipped for budget:` : ''}`,
    ...(n.bankNotes ?? []).map((x) => `- ${x}`),
    ...n.skippedForBudget.map((x) => `- \`${x.id}\`: ${x.reason}`),
    '',
  ]);
}

/** summary.md: the providers × checks matrix, then every failure with expected, observed and source. */
export function renderSummary(r: RunResults): string {
  const providers = r.run.providers.map((p) => p.id);
  const ids = [...new Set(r.results.map((x) => x.id))].sort();
  const cell = (provider: string, id: string) => {
    const res = r.results.find((x) => x.provider === provider && x.id === id);
    return res ? MARK[res.status] : '—';
  };
  const lines = headerLines(r);
  // one cause behind many findings (a wrong base URL: every request got 404) comes before the checks one by one
  const causes = causeLines(findCauses(r.results));
  if (causes.length) lines.push('## Likely causes', '', ...causes.map((c) => `- ${c}`), '');
  // failures first: the checks that did not pass (failing rows before warning rows), then every check folded away
  const row = (id: string) => [id, ...providers.map((p) => cell(p, id))];
  const worst = (id: string) => Math.min(...r.results.filter((x) => x.id === id).map((x) => STATUS_ORDER[x.status]));
  const notPassing = ids
    .filter((id) => r.results.some((x) => x.id === id && x.status !== 'pass' && x.status !== 'skip'))
    .sort((a, b) => worst(a) - worst(b) || a.localeCompare(b));
  lines.push(
    notPassing.length
      ? formatMarkdownTable(['check', ...providers], notPassing.map(row))
      : r.run.missingShards?.length
        ? "Every check of the shards merged passed; the missing shards' checks were not judged."
        : ids.length
          ? 'Every check that ran passed.'
          : 'No check ran: nothing was judged.',
    ...failureLines(r),
    ...noiseLines(r),
    '',
    `<details><summary>${everyCheckCaption(ids.length, providers.length)}</summary>`,
    '',
    formatMarkdownTable(['check', ...providers], ids.map(row)),
    '',
    '</details>',
    ...warningLines(r),
    ...boundaryLines(r),
    ...skippedLines(r),
    ...paidSkippedLines(r),
  );
  return `${lines.join('\n')}\n`;
}

/** The title, the counts, and what the run was: incomplete, its spend, the billable tasks it created. */
export function headerLines(r: RunResults): string[] {
  const s = r.summary;
  return [
    `# kling-conformance: ${runName(r.run)}`,
    '',
    `${s.pass} passed, ${s.fail} failed, ${s.warn} warnings, ${s.info} ` +
      `observations, ${s.skip} skipped, ${s.error} errors · ${runFacts(r.run)} · ${runTimes(r.run)}`,
    '',
    ...runNotes(r.run).flatMap((note) => [note, '']),
    ...(r.run.incomplete
      ? [
          `**Incomplete run (harness error, exit 2):** ${r.run.incomplete.missing} ` +
            `planned check(s) reported no result. ${r.run.incomplete.problems.join('; ')}`,
          '',
        ]
      : []),
    ...(r.run.spend ? [spendLine(r.run.spend), '', ...planLines(r.run.spend.plan)] : []),
    ...(sentBillable(r.run)
      ? [billableTasksLine(r.run, s.billableTasks.created, s.billableTasks.acceptedInvalid), '']
      : []),
  ];
}

/** Every failure (and error) with expected, observed, source, findings, request ids and its curl. */
export function failureLines(r: RunResults): string[] {
  const lines: string[] = [];
  const failures = r.results.filter((x) => x.status === 'fail' || x.status === 'error');
  if (failures.length) {
    lines.push('', '## Failures', '');
    for (const f of failures) {
      lines.push(`### ${f.provider} · ${f.id} (${f.status})`, '', f.message, '');
      if (f.expected !== undefined) lines.push(`- expected: \`${JSON.stringify(f.expected)}\``);
      if (f.observed !== undefined) lines.push(`- observed: \`${JSON.stringify(f.observed).slice(0, 400)}\``);
      if (f.source) lines.push(`- source: ${f.source}`);
      if (f.matches?.length) lines.push(`- matches: ${f.matches.join('; ')}`);
      // each piece of evidence once: a finding that only repeats the check's message is not listed again
      for (const finding of (f.findings ?? []).filter((x) => !repeatsMessage(x, f.message)))
        lines.push(`- ${findingLine(finding)}`);
      if (f.requestIds?.length) lines.push(`- request ids: ${f.requestIds.join(', ')}`);
      if (f.curl) lines.push('', '```sh', f.curl, '```');
      lines.push('');
    }
  }
  return lines;
}

/** Warnings and observations: what they say, one line each. */
export function warningLines(r: RunResults): string[] {
  const lines: string[] = [];
  const warned = r.results.filter(
    (x) => x.status === 'warn' || x.status === 'info' || (x.warnings?.length && x.status !== 'fail'),
  );
  if (warned.length) {
    lines.push('', '## Warnings and observations', '');
    for (const w of warned)
      lines.push(
        `- ${w.provider} · ${w.id} (${w.status}): ` +
          [w.status === 'warn' || w.status === 'info' ? w.message : '', ...(w.warnings ?? [])]
            .filter(Boolean)
            .join('; '),
        // a recording's findings, each naming its client (a failure lists its findings under Failures)
        ...(w.status === 'fail' ? [] : (w.findings ?? []))
          .filter((f) => f.client && !repeatsMessage(f, w.message))
          .map((f) => `  - ${findingLine(f)}`),
      );
  }
  return lines;
}

/** The boundary cases per provider and rule: how many were sent, how many failed. */
export function boundaryLines(r: RunResults): string[] {
  const lines: string[] = [];
  const s = r.summary;
  if (s.boundary) {
    lines.push(
      '',
      '## Boundary cases',
      '',
      formatMarkdownTable(
        ['provider', 'rule', 'cases', 'failed'],
        Object.entries(s.boundary).flatMap(([p, rules]) =>
          Object.entries(rules).map(([rule, c]) => [p, rule, String(c.cases), String(c.failed)]),
        ),
      ),
    );
  }
  return lines;
}

/** One line per skip reason: which checks of which providers it kept from running. */
export function skippedLines(r: RunResults): string[] {
  const lines: string[] = [];
  const skipped = r.results.filter((x) => x.status === 'skip');
  if (skipped.length) {
    // one line per reason: which checks of which providers it kept from running
    const byReason = new Map<string, string[]>();
    for (const x of skipped)
      (byReason.get(x.message) ?? byReason.set(x.message, []).get(x.message)!).push(`${x.provider} ${x.id}`);
    lines.push('', `## Skipped (${skipped.length})`, '');
    for (const [reason, which] of byReason) {
      const shown =
        which.length > 6 ? `${which.slice(0, 6).join(', ')} and ${which.length - 6} more` : which.join(', ');
      lines.push(`- ${reason}: ${shown}`);
    }
  }
  return lines;
}

/** Paid checks skipped for want of --allow-paid, with the documented price per provider. */
export function paidSkippedLines(r: RunResults): string[] {
  const lines: string[] = [];
  const paid = r.results.filter(
    (x) => x.paid && x.status === 'skip' && x.price && x.message.startsWith('creates a billable task'),
  );
  if (paid.length) {
    const byProvider = new Map(paid.map((x) => [x.provider, x.price!]));
    lines.push('', '## Paid checks skipped (pass --allow-paid)', '');
    for (const [p, price] of byProvider) {
      const usd = price.usd !== undefined && price.currency !== 'USD' ? ` (≈ $${price.usd})` : '';
      const text = price.amount === undefined ? price.explanation : `${price.amount} ${price.currency}${usd}`;
      lines.push(`- ${p}: one default task, documented price ${text}`);
    }
  }
  return lines;
}
