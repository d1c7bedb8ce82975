import { createRequire } from 'node:module';
import { HarnessError } from '../core/errors.ts';
import type { createAjv } from '../core/ajv.ts';
import type { SourceDocument } from './yaml-source.ts';
import { precompiledValidator } from './precompiled.ts';

const require = createRequire(import.meta.url);
const extensionSchema = require('./x-conformance.schema.json') as Record<string, unknown>;
let compiled: ReturnType<ReturnType<typeof createAjv>['compile']> | undefined;

/** Validates the `x-conformance` block against our own JSON Schema; the first error becomes a harness error. */
export async function validateExtension(source: SourceDocument): Promise<void> {
  const block = source.data['x-conformance'];
  if (block === undefined) {
    throw new HarnessError('SPEC_INVALID', 'the spec has no x-conformance block', {
      file: source.file,
      pointer: '/x-conformance',
      fix: 'add the x-conformance block (see docs/spec-format.md and any folder under specs/)',
    });
  }
  // the build's precompiled validator, or (from the sources) ajv compiling the schema here
  compiled ??=
    precompiledValidator<typeof compiled>('./x-conformance.validate.cjs') ??
    (await import('../core/ajv.ts')).createAjv().compile(extensionSchema);
  if (compiled(block)) return;
  const errors = compiled.errors ?? [];
  // Prefer a concrete error over the "must match then/if schema" wrappers.
  const best = errors.find((e) => e.keyword !== 'if') ?? errors[0]!;
  const pointer = `/x-conformance${best.instancePath}`;
  const line = source.lineOf(pointer);
  const detail =
    best.keyword === 'additionalProperties'
      ? `unknown key "${String(best.params.additionalProperty)}"`
      : best.keyword === 'required'
        ? `missing "${String(best.params.missingProperty)}"`
        : best.message;
  throw new HarnessError(
    'SPEC_INVALID',
    `x-conformance${best.instancePath || ''}: ${detail}${line ? ` (line ${line})` : ''}`,
    {
      file: source.file,
      pointer,
      fix: 'make the block match src/spec/x-conformance.schema.json (docs/spec-format.md explains each key)',
    },
  );
}
