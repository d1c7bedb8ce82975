import type { Command } from 'commander';
import { HarnessError } from '../../core/errors.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { withClaims } from '../../spec/build-model.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { readJsonInput } from '../read-input.ts';
export async function validateBody(
  program: Command,
  stdin: string | undefined,
  options: { provider: string; operation: string; body?: string; file?: string; claims: string; json?: boolean },
): Promise<number> {
  if (options.operation !== 'create') {
    throw new HarnessError('USAGE', `operation "${options.operation}" has no request body to validate`, {
      fix: 'use --operation create',
    });
  }
  if (options.claims !== 'mock' && options.claims !== 'other')
    throw new HarnessError('USAGE', `--claims must be mock or other (got ${options.claims})`, {
      fix: 'use --claims mock or --claims other',
    });
  const body = readJsonInput({ body: options.body, file: options.file, stdin: stdin === '-' });
  let spec = await loadSpecById(options.provider, program.opts().specs);
  if (options.claims === 'other') spec = withClaims(spec, 'other');
  const result = compileValidators(spec).request(body);
  if (options.json)
    console.log(JSON.stringify({ provider: spec.id, operation: options.operation, ...result }, null, 2));
  else if (result.valid)
    console.log(`valid: the body satisfies the documented ${options.operation} request of ${spec.id}`);
  else {
    console.log(
      `invalid: ${result.errors.length} ` +
        `problem${result.errors.length === 1 ? '' : 's'} with the ${options.operation} ` +
        `request of ${spec.id}`,
    );
    for (const e of result.errors) console.log(`  ${e.pointer}: ${e.message}${e.rule ? ` [rule ${e.rule}]` : ''}`);
  }
  return result.valid ? 0 : 1;
}
