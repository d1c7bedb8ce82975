import type { Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
export function registerMerge(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('merge')
    .description(
      'join the reports of a sharded run (run --shard i/n on several machines) into ' +
        'the one results.json, junit.xml, summary.md and report.html a single run would ' +
        'have written',
    )
    .argument('<reports...>', 'report dirs (or their results.json) of the shards')
    .option('--report-dir <dir>', 'where the merged reports go', 'reports/merged')
    .option('--history <file>', 'append the merged run here (one line, as a single run appends)')
    .option(
      '--allow-missing-shards',
      "write the report of the shards given even when some of the run's shards are missing (it names them and " +
        'their suite files; the exit is still 2)',
    )
    .option('--quiet', 'do not print the summary')
    .action(withExitCode(lazyAction(() => import('./merge-action.ts'), 'mergeShards', program)));
}
