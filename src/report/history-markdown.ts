import { formatMarkdownTable } from '../core/table.ts';
import { coverageAgeText, FLAKY_FLIPS, percent, type HistoryStats } from './history-stats.ts';
import { hasChanges, type RunStep } from './run-steps.ts';

const ms = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)} s` : `${n} ms`);
const inCode = (x: string) => `\`${x}\``;

/** What one run changed, a phrase per kind; `code` marks up a check or provider name (markdown by default). */
export function describeStep(s: RunStep, code: (x: string) => string = inCode): string[] {
  const list = (xs: string[]) => xs.map(code).join(', ');
  return [
    s.newlyFailing.length ? `newly failing: ${list(s.newlyFailing)}` : '',
    s.fixed.length ? `fixed: ${list(s.fixed)}` : '',
    s.flakes.length ? `passed on a retry after 429/5xx/timeouts: ${list(s.flakes)}` : '',
    s.unjudged.length ? `could not be judged (transient): ${list(s.unjudged)}` : '',
    ...s.priceChanges.map((p) => `price of ${code(p.provider)}'s default task: ${p.from} → ${p.to} ${p.currency}`),
  ].filter(Boolean);
}

/** Coverage age: per check of the providers run live, when a live run last judged it — oldest (or never) first. */
function coverageSection(s: HistoryStats): string[] {
  const live = new Set(s.checks.filter((c) => c.lastJudgedLive).map((c) => c.provider));
  if (!live.size) return [];
  const rows = s.checks
    .filter((c) => live.has(c.provider))
    .sort((a, b) => (b.coverageAgeHours ?? Infinity) - (a.coverageAgeHours ?? Infinity))
    .map((c) => [c.provider, `\`${c.check}\``, c.lastJudgedLive ?? 'never', coverageAgeText(c)]);
  return [
    '## Coverage age (when a live run last judged each check; oldest first)',
    '',
    formatMarkdownTable(['provider', 'check', 'last judged live', 'coverage age'], rows),
    '',
  ];
}

/** `history --format md`: what fails now and since when, what flips, transient blips, trends, spend, changes. */
export function renderHistoryMarkdown(s: HistoryStats): string {
  const bad = s.checks.filter((c) => c.current === 'fail' || c.current === 'error');
  const flaky = s.checks.filter((c) => c.flips >= FLAKY_FLIPS);
  const transient = s.checks.filter((c) => c.transient.flakes + c.transient.unjudged > 0);
  const row = (c: HistoryStats['checks'][number]) => [
    c.provider,
    `\`${c.check}\``,
    c.current,
    `${c.since.startedAt} (${c.since.id})`,
    c.lastChange ? `${c.lastChange.from} → ${c.lastChange.to} at ${c.lastChange.id}` : 'never',
    percent(c.flakeRate),
    `${c.transient.flakes} / ${c.transient.unjudged}`,
  ];
  const head = [
    'provider',
    'check',
    'now',
    'since',
    'last change',
    'flake rate',
    'transient (passed on retry / unjudged)',
  ];
  const steps = s.steps.filter(hasChanges).reverse();
  return [
    `# kling-conformance history: ${s.window.runs} runs, ${s.window.from} → ${s.window.to}`,
    '',
    `## Failing now (${bad.length})`,
    '',
    bad.length
      ? formatMarkdownTable(
          [...head, 'why'],
          bad.map((c) => [...row(c), c.detail ?? '']),
        )
      : 'none',
    '',
    `## Flaky: good ↔ bad ${FLAKY_FLIPS} or more times (${flaky.length})`,
    '',
    flaky.length ? formatMarkdownTable(head, flaky.map(row)) : 'none',
    '',
    `## Transient: 429, 5xx, timeouts, resets (${transient.length})`,
    '',
    'Counted apart from contract changes: a run that met them passed on a ' +
      'documented retry, or could not judge the check.',
    '',
    transient.length ? formatMarkdownTable(head, transient.map(row)) : 'none',
    '',
    `## Changes between runs, newest first (${steps.length})`,
    '',
    steps.length
      ? steps
          .map(
            (st) =>
              `- **${st.id}** (${st.startedAt}, ${st.target}, since ${st.previous.id}): ${describeStep(st).join('; ')}`,
          )
          .join('\n')
      : 'none',
    '',
    ...providerTables(s),
    ...spendTable(s),
    ...shardedNightsTable(s),
    ...coverageSection(s),
    '## Every check',
    '',
    formatMarkdownTable(head, s.checks.map(row)),
  ].join('\n');
}

/** Pass rate and billable tasks per provider over the runs, then the latency percentiles of the followed tasks. */
function providerTables(s: HistoryStats): string[] {
  return [
    '## Pass rate per provider (oldest → newest)',
    '',
    formatMarkdownTable(
      ['provider', 'runs', 'pass rate now', 'lowest in the window', 'billable tasks'],
      s.providers.map((p) => [
        p.provider,
        String(p.runs.length),
        p.runs.length ? percent(p.runs.at(-1)!.passRate) : '—',
        p.runs.length ? percent(Math.min(...p.runs.map((r) => r.passRate))) : '—',
        p.runs.map((r) => r.billableTasks ?? '-').join(' '),
      ]),
    ),
    '',
    '## Latency per provider (p50 / p95 over the window, from the runs that followed a task)',
    '',
    formatMarkdownTable(
      ['provider', 'create answer', 'queued', 'generating', 'total to a downloaded video', 'runs'],
      s.providers.map((p) => [
        p.provider,
        ...(['createMs', 'queuedMs', 'generatingMs', 'totalMs'] as const).map((t) =>
          p.latency[t] ? `${ms(p.latency[t].p50)} / ${ms(p.latency[t].p95)}` : '—',
        ),
        String(p.latency.createMs?.n ?? 0),
      ]),
    ),
    '',
  ];
}

/** What each live run with a ledger spent, by the documented prices. */
function spendTable(s: HistoryStats): string[] {
  return [
    `## Spend per run (documented prices, ${s.spend.length} live run${s.spend.length === 1 ? '' : 's'} with a ledger)`,
    '',
    s.spend.length
      ? formatMarkdownTable(
          ['run', 'started', 'spend'],
          s.spend.map((x) => [
            x.id,
            x.startedAt,
            Object.entries(x.documented)
              .map(([c, n]) => `${n} ${c}`)
              .join(' + ') || '0',
          ]),
        )
      : 'none',
    '',
  ];
}

const STATUSES = ['pass', 'fail', 'error', 'warn', 'info', 'skip'] as const;

/** "evolink-kling-v3-t2v: 4 pass, 1 fail" per provider, each on a line of its own (a cell's `<br>`) */
const perProvider = (entries: [string, string][]) => entries.map(([p, text]) => `${p}: ${text}`).join('\n');

/** The nights run in shards: which parts the history holds, the spend added up, the budget once, what it banks. */
function shardedNightsTable(s: HistoryStats): string[] {
  if (!s.shardedNights.length) return [];
  const rows = s.shardedNights.map((n) => {
    const paid = Object.entries(n.paid);
    const money = (x: number, c?: string) => `${x}${c ? ` ${c}` : ''}`;
    return [
      n.id,
      n.startedAt,
      `${n.parts.length} of ${n.of}${n.missing.length ? `, missing ${n.missing.join(', ')}` : ''}`,
      Object.entries(n.spend ?? {})
        .map(([c, x]) => `${x} ${c}`)
        .join(' + ') || '0',
      perProvider(
        paid.map(([p, x]) => [
          p,
          x.budget !== undefined
            ? `${money(x.spent)} of ${money(x.budget, x.currency)}`
            : `${money(x.spent, x.currency)}, no budget`,
        ]),
      ),
      perProvider(
        Object.entries(n.byProvider).map(([p, c]) => [
          p,
          STATUSES.filter((k) => c[k])
            .map((k) => `${c[k]} ${k}`)
            .join(', ') || 'nothing judged',
        ]),
      ),
      n.problem
        ? `**incomplete** (${n.problem}): banks nothing`
        : perProvider(
            paid.flatMap(([p, x]) => (x.banks !== undefined ? [[p, `banks ${money(x.banks, x.currency)}`]] : [])),
          ) || 'whole',
    ];
  });
  return [
    `## Nights run in shards (${s.shardedNights.length}; each counted above as one run)`,
    '',
    "A night run in shards is one run: its shards' spends added up, its budget counted once. " +
      'A night whose shards are not all in the history banks nothing for later nights ' +
      '(the missing shard may have spent its part).',
    '',
    formatMarkdownTable(['run id', 'started', 'shards', 'spend', 'paid: spent of budget', 'verdicts', 'bank'], rows),
    '',
  ];
}
