import type { Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
export function registerSpecs(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('specs')
    .description(
      'list the providers described under specs/: endpoints, defaults (with conflicting claims), availability',
    )
    .option('--json', 'print JSON for machines')
    .action(withExitCode(lazyAction(() => import('./specs-action.ts'), 'listSpecs', program)));
}
