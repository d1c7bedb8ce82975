import { Option, type Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
export function registerCases(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('cases')
    .description("print the boundary cases generated from a provider's request schema, each labelled accept/reject")
    .requiredOption('--provider <id>', 'provider id')
    .option('--seed <n>', 'seed (the same seed gives the same cases)', '1')
    .addOption(
      new Option('--format <format>', 'json (for other tools) or table').choices(['json', 'table']).default('table'),
    )
    .option('--rule <rule>', 'only cases of this rule (e.g. maxLength+1, enum.near-miss, conditional.then)')
    .action(withExitCode(lazyAction(() => import('./cases-action.ts'), 'printCases', program)));
}
