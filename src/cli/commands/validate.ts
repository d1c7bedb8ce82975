import { Option, type Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
import { RUN_SETTINGS } from '../../core/run-settings-table.ts';
import { envName } from '../config-defaults.ts';
import { optionOf } from './run.ts';

/** validate reads no config, but takes the webhook pair from the environment as mock and run do (a secret's place) */
const withEnv = (option: Option) => option.env(envName(option));

export function registerValidate(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('validate')
    .description("check a request body against a provider's documented request (exit 0 valid, 1 invalid, 2 usage)")
    .argument('[stdin]', "'-' to read the body from standard input")
    .requiredOption('--provider <id>', 'provider id (see `kling-conformance specs`)')
    .option('--operation <op>', 'operation whose request to check', 'create')
    .option('--body <json>', 'the body as a JSON string')
    .option('--file <path>', 'read the body from a file')
    .addOption(
      new Option('--claims <choice>', "where documents disagree: 'mock' (the spec's chosen claim) or 'other'")
        .choices(['mock', 'other'])
        .default('mock'),
    )
    // the account's webhook settings: one flag pair, declared once, with the same meaning in mock, run and validate
    .addOption(withEnv(optionOf(RUN_SETTINGS.callbackDefault)))
    .addOption(withEnv(optionOf(RUN_SETTINGS.callbackSecret)))
    .addOption(withEnv(optionOf(RUN_SETTINGS.callbackPreviousSecret)))
    .option('--strict', 'a rule that is our reading (inferred) fails the body instead of warning')
    .option('--json', 'print the result as JSON')
    .action(withExitCode(lazyAction(() => import('./validate-action.ts'), 'validateBody', program)));
}
