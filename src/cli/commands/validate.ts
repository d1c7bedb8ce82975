import { Option, type Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { HarnessError } from '../../core/errors.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { withClaims } from '../../spec/build-model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { readJsonInput } from '../read-input.ts';

export function registerValidate(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('validate')
    .description("check a request body against a provider's documented request (exit 0 valid, 1 invalid, 2 usage)")
    .argument('[stdin]', "'-' to read the body from standard input")
    .requiredOption('--provider <id>', 'provider id (see `kling-conformance specs`)')
    .option('--operation <op>', 'operation whose request to check', 'create')
    .option('--body <json>', 'the body as a JSON string')
    .option('--file <path>', 'read the body from a file')
    .addOption(new Option('--claims <choice>', "where documents disagree: 'mock' (the spec's chosen claim) or 'other'").choices(['mock', 'other']).default('mock'))
    .option('--json', 'print the result as JSON')
    .action(
      withExitCode(async (stdin: string | undefined, options: { provider: string; operation: string; body?: string; file?: string; claims: string; json?: boolean }) => {
      if (options.operation !== 'create') {
        throw new HarnessError('USAGE', `operation "${options.operation}" has no request body to validate`, { fix: 'use --operation create' });
      }
      if (options.claims !== 'mock' && options.claims !== 'other') throw new HarnessError('USAGE', `--claims must be mock or other (got ${options.claims})`, { fix: 'use --claims mock or --claims other' });
      const body = readJsonInput({ body: options.body, file: options.file, stdin: stdin === '-' });
      let spec = await loadSpecById(options.provider, program.opts().specs);
      if (options.claims === 'other') spec = withClaims(spec, 'other');
      const result = compileValidators(spec).request(body);
      if (options.json) console.log(JSON.stringify({ provider: spec.id, operation: options.operation, ...result }, null, 2));
      else if (result.valid) console.log(`valid: the body satisfies the documented ${options.operation} request of ${spec.id}`);
      else {
        console.log(`invalid: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'} with the ${options.operation} request of ${spec.id}`);
        for (const e of result.errors) console.log(`  ${e.pointer}: ${e.message}${e.rule ? ` [rule ${e.rule}]` : ''}`);
      }
      return result.valid ? 0 : 1;
      }),
    );
}
