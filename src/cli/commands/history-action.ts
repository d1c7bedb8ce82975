import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, HarnessError } from '../../core/errors.ts';
import { assertHistoryReadable, readHistory } from '../../report/history-line.ts';
import { historyStats, parseSince } from '../../report/history-stats.ts';
import { renderHistoryMarkdown } from '../../report/history-markdown.ts';
import { historyDashboard } from '../../report/history-dashboard.ts';
import { renderDashboardHtml } from '../../report/dashboard-html.ts';
import { writeFileAtomic } from '../../core/atomic-write.ts';
export async function showHistory(
  _program: Command,
  flags: { history: string; since?: string; format: string; target?: string; output?: string },
): Promise<number> {
  const since = parseSince(flags.since);
  if (Number.isNaN(since))
    throw new HarnessError('USAGE', `--since ${flags.since} is not a window`, {
      fix: 'use e.g. --since 30d, 2w, 12h or 45m',
    });
  const file = resolve(flags.history);
  const { lines, unreadableLines } = readHistory(file);
  assertHistoryReadable(file, unreadableLines);
  if (!lines.length)
    throw new HarnessError('INPUT', `no runs in ${file}`, {
      file,
      fix: 'run `kling-conformance run` first (it appends one line per run), or pass --history FILE',
    });
  const runs = flags.target ? lines.filter((l) => l.target === flags.target) : lines;
  if (!runs.length)
    throw new HarnessError('INPUT', `no ${flags.target} runs in ${file}`, {
      file,
      fix: 'drop --target, or pass the other target',
    });
  const stats = historyStats(runs, Date.now(), since);
  const text =
    flags.format === 'json'
      ? `${JSON.stringify(stats, null, 2)}\n`
      : flags.format === 'html'
        ? renderDashboardHtml(historyDashboard(stats))
        : `${renderHistoryMarkdown(stats)}\n`;
  if (flags.output) {
    writeFileAtomic(resolve(flags.output), text);
    process.stderr.write(`history written to ${resolve(flags.output)}\n`);
  } else process.stdout.write(text);
  return EXIT.OK;
}
