import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { EXIT, HarnessError } from '../../core/errors.ts';
import { formatMarkdownTable } from '../../core/table.ts';
import { readHistory } from '../../report/history-line.ts';
import { historyStats, parseSince, type HistoryStats } from '../../report/history-stats.ts';
import type { ExitRecorder } from '../register-commands.ts';

export function registerHistory(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('history')
    .description('what the nightly runs saw: per provider × check the current status, since when, the last change and the flake rate; per provider the pass rate over time')
    .option('--history <file>', 'the history file runs append to', 'reports/history.jsonl')
    .option('--since <window>', 'only runs in this window, e.g. 30d or 12h')
    .addOption(new Option('--format <format>', 'md or json').choices(['md', 'json']).default('md'))
    .action(
      withExitCode(async (flags: { history: string; since?: string; format: string }) => {
        if (flags.format !== 'md' && flags.format !== 'json') throw new HarnessError('USAGE', `--format must be md or json (got ${flags.format})`, { fix: 'use --format md or --format json' });
        const since = parseSince(flags.since);
        if (Number.isNaN(since)) throw new HarnessError('USAGE', `--since ${flags.since} is not a window`, { fix: 'use e.g. --since 30d or --since 12h' });
        const file = resolve(flags.history);
        const { lines, unreadable } = readHistory(file);
        if (!lines.length) throw new HarnessError('INPUT', `no runs in ${file}`, { file, fix: 'run `kling-conformance run` first (it appends one line per run), or pass --history FILE' });
        const stats = historyStats(lines, Date.now(), since);
        if (unreadable) process.stderr.write(`${unreadable} unreadable line(s) in ${file} were skipped\n`);
        console.log(flags.format === 'json' ? JSON.stringify(stats, null, 2) : renderHistory(stats));
        return EXIT.OK;
      }),
    );
}

const ms = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)} s` : `${n} ms`);

function renderHistory(s: HistoryStats): string {
  const bad = s.checks.filter((c) => c.current === 'fail' || c.current === 'error');
  const flaky = s.checks.filter((c) => c.flakeRate > 0);
  const transient = s.checks.filter((c) => c.transient.flakes + c.transient.unjudged > 0);
  const row = (c: HistoryStats['checks'][number]) => [c.provider, `\`${c.check}\``, c.current, `${c.since.startedAt} (${c.since.id})`, c.lastChange ? `${c.lastChange.from} → ${c.lastChange.to} at ${c.lastChange.id}` : 'never', String(c.flakeRate), `${c.transient.flakes} / ${c.transient.unjudged}`];
  const head = ['provider', 'check', 'now', 'since', 'last change', 'flake rate', 'transient (passed on retry / unjudged)'];
  return [
    `# kling-conformance history: ${s.window.runs} runs, ${s.window.from} → ${s.window.to}`,
    '',
    `## Failing now (${bad.length})`,
    '',
    bad.length ? formatMarkdownTable(head, bad.map(row)) : 'none',
    '',
    `## Flaky (${flaky.length})`,
    '',
    flaky.length ? formatMarkdownTable(head, flaky.map(row)) : 'none',
    '',
    `## Transient: 429, 5xx, timeouts, resets (${transient.length})`,
    '',
    'Counted apart from contract changes: a run that met them passed on a documented retry, or could not judge the check.',
    '',
    transient.length ? formatMarkdownTable(head, transient.map(row)) : 'none',
    '',
    '## Pass rate per provider (oldest → newest)',
    '',
    formatMarkdownTable(['provider', 'runs', 'pass rate', 'billable tasks'], s.providers.map((p) => [p.provider, String(p.runs.length), p.runs.map((r) => r.passRate).join(' '), p.runs.map((r) => r.billableTasks ?? '-').join(' ')])),
    '',
    '## Latency per provider (p50 / p95 over the window, from the runs that followed a task)',
    '',
    formatMarkdownTable(['provider', 'create answer', 'queued', 'generating', 'total to a downloaded video', 'runs'], s.providers.map((p) => [p.provider, ...(['createMs', 'queuedMs', 'generatingMs', 'totalMs'] as const).map((t) => (p.latency[t] ? `${ms(p.latency[t].p50)} / ${ms(p.latency[t].p95)}` : '—')), String(p.latency.createMs?.n ?? 0)])),
    '',
    `## Spend per run (documented prices, ${s.spend.length} live run${s.spend.length === 1 ? '' : 's'} with a ledger)`,
    '',
    s.spend.length ? formatMarkdownTable(['run', 'started', 'spend'], s.spend.map((x) => [x.id, x.startedAt, Object.entries(x.documented).map(([c, n]) => `${n} ${c}`).join(' + ') || '0'])) : 'none',
    '',
    '## Every check',
    '',
    formatMarkdownTable(head, s.checks.map(row)),
  ].join('\n');
}
