import { Command, CommanderError } from 'commander';
import { EXIT, HarnessError } from '../core/errors.ts';
import { redact } from '../core/redact.ts';
import { registerCommands } from './register-commands.ts';
import { packageVersion } from '../core/package-paths.ts';

// `kling-conformance cases … | head`: a reader that stops early is not an error
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

/**
 * The CLI is a thin layer: parse flags, call the library, map outcomes to exit codes
 * (0 ok, 1 findings, 2 harness error). Every action returns its exit code.
 */
/**
 * A commander error message (`error: …`) as a USAGE harness error, its fix the --help of the command it came from
 * (`commands`: the CLI's command names) or, for no known command, the CLI's own.
 */
export function usageError(message: string, argv: readonly string[], commands: readonly string[]): string {
  // the first command name that is not the value of the one global option that takes one (`--specs <dir>`)
  const command = argv.find((a, i) => commands.includes(a) && argv[i - 1] !== '--specs');
  const said = message.replace(/^error: /, '').trim();
  const fix = command ? `kling-conformance ${command} --help lists its options` : 'kling-conformance --help lists them';
  return `kling-conformance: USAGE: ${said}\n  fix: ${fix}\n`;
}

const commandNames = (program: Command) => program.commands.map((c) => c.name());

export async function main(argv: string[]): Promise<number> {
  const program = new Command('kling-conformance')
    .description(
      'Contract tests, provider mocks and drift reports for the HTTP gateways that sell Kling 3.0 text-to-video',
    )
    .option(
      '--specs <dir>',
      'folder of provider specs (default: the specs/ shipped with the tool, or $KLING_SPECS_DIR)',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(redact(s)),
      // commander's own refusals (a required option missing, an unknown option, a bad choice): said as every other
      // harness error is, with its code and a fix line
      outputError: (s, write) => write(redact(usageError(s, argv, commandNames(program)))),
    });
  let code: number = EXIT.OK;
  registerCommands(program, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0
      return err.exitCode === 0 ? EXIT.OK : EXIT.HARNESS;
    }
    if (err instanceof HarnessError) {
      process.stderr.write(`${redact(err.format())}\n`);
      return EXIT.HARNESS;
    }
    process.stderr.write(`${redact(`kling-conformance: internal error: ${(err as Error).stack ?? String(err)}`)}\n`);
    return EXIT.HARNESS;
  }
}
