import { Option, type Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
export function registerHistory(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('history')
    .description(
      'what the nightly runs saw: per provider × check the current status, since ' +
        'when, the last change and the flake rate; per provider the pass rate over time',
    )
    .option('--history <file>', 'the history file runs append to', 'reports/history.jsonl')
    .option('--since <window>', 'only runs in this window, e.g. 30d, 2w, 12h or 45m')
    .addOption(
      new Option('--format <format>', 'md, json, or html (one self-contained page: matrix, trend charts, changes)')
        .choices(['md', 'json', 'html'])
        .default('md'),
    )
    .addOption(new Option('--target <target>', 'only runs against this target').choices(['mock', 'live']))
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .action(withExitCode(lazyAction(() => import('./history-action.ts'), 'showHistory', program)));
}
