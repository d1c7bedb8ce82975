import { Option, type Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
import { RUN_SETTINGS } from '../../core/run-settings-table.ts';
import type { Setting } from '../../core/setting.ts';

/** A commander option from a row of the settings table (its variable and config key are added for every command). */
export function optionOf(setting: Setting): Option {
  const option = new Option(setting.flag, setting.help);
  if (setting.choices) option.choices(setting.choices);
  if (setting.default !== undefined) option.default(setting.default);
  return option;
}

export function registerRun(program: Command, withExitCode: ExitRecorder): void {
  const command = program
    .command('run')
    .description(
      'run the conformance suites against the built-in mocks or a live gateway (exit ' +
        '0 all passed, 1 findings, 2 setup error)',
    );
  for (const setting of Object.values(RUN_SETTINGS)) command.addOption(optionOf(setting as Setting));
  command.action(withExitCode(lazyAction(() => import('./run-action.ts'), 'runCommand', program)));
}
