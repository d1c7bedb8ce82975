import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../core/package-paths.ts';
import { precompiledValidator } from './precompiled.ts';
import { cachedParse, storeParse } from './parse-cache.ts';
import { HarnessError } from '../core/errors.ts';
import { parseSourceDocument, type SourceDocument } from './yaml-source.ts';
import { validateExtension } from './validate-extension.ts';
import { checkReferences } from './check-references.ts';
import { checkPatterns } from './check-patterns.ts';
import { buildSpecModel } from './build-model.ts';
import { registerAuthRedaction } from './auth.ts';
import type { ProviderSpec } from './model.ts';

export const SPEC_FILE = 'openapi.yaml';

/** The specs/ folder shipped with the package; `KLING_SPECS_DIR` or an explicit argument overrides it. */
/** The largest spec file loaded (2 MiB); larger ones are refused before parsing. */
export const MAX_SPEC_BYTES = 2 * 1024 * 1024;

export function defaultSpecsDir(): string {
  return process.env.KLING_SPECS_DIR ?? join(PACKAGE_ROOT, 'specs/');
}

/** Provider ids = folder names under the specs dir that hold an openapi.yaml. */
export function listSpecIds(specsDir = defaultSpecsDir()): string[] {
  if (!existsSync(specsDir) || !statSync(specsDir).isDirectory()) {
    throw new HarnessError(
      'SPEC_NOT_FOUND',
      `no specs folder at ${specsDir}${existsSync(specsDir) ? ' (it is a file)' : ''}`,
      { fix: 'pass --specs DIR or set KLING_SPECS_DIR to a folder of <provider-id>/openapi.yaml' },
    );
  }
  return readdirSync(specsDir)
    .filter((name) => statSync(join(specsDir, name)).isDirectory() && existsSync(join(specsDir, name, SPEC_FILE)))
    .sort();
}

/**
 * Spec texts (by SHA-256) that passed the structural validation in this process, or in the process that handed them
 * over (`trustedDigests`: the runner validates once, its vitest workers skip the OpenAPI and x-conformance schema
 * checks for the very same bytes — a text that changed in between is validated again).
 */
const validatedDigests = new Set<string>();

/** The SHA-256 of a spec file's text: what `trustedDigests` names. */
export const specDigest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Loads one provider folder: parse, validate (OpenAPI 3.1 + x-conformance + cross references), resolve $refs. */
export async function loadSpec(
  dir: string,
  options: { requireFolderName?: boolean; trustedDigests?: readonly string[] } = {},
): Promise<ProviderSpec> {
  const file = join(dir, SPEC_FILE);
  const shownFile = relative(process.cwd(), file) || file;
  if (!existsSync(file)) {
    throw new HarnessError('SPEC_NOT_FOUND', `no ${SPEC_FILE} in ${dir}`, {
      file: shownFile,
      fix: `create ${SPEC_FILE} in the provider folder (copy one from specs/)`,
    });
  }
  const stat = statSync(file);
  if (!stat.isFile())
    throw new HarnessError('SPEC_NOT_FOUND', `${SPEC_FILE} in ${dir} is not a file`, {
      file: shownFile,
      fix: `make ${SPEC_FILE} a YAML file`,
    });
  // a spec is a few hundred lines; far larger is a mistake or an attack, and parsing it would take minutes
  if (stat.size > MAX_SPEC_BYTES) {
    throw new HarnessError(
      'SPEC_INVALID',
      `${SPEC_FILE} is ${(stat.size / 1024 / 1024).toFixed(1)} MB, over the ` +
        `${MAX_SPEC_BYTES / 1024 / 1024} MB limit for a spec`,
      {
        file: shownFile,
        fix: 'a provider spec describes one endpoint pair: keep it under the limit (the seeds make specs of ~20 KB)',
      },
    );
  }
  const text = readFileSync(file, 'utf8');
  const digest = specDigest(text);
  const cached = cachedParse(digest);
  const source = parseSourceDocument(shownFile, text, cached?.data);
  if (cached?.validated) validatedDigests.add(digest);
  if (!validatedDigests.has(digest) && !options.trustedDigests?.includes(digest)) {
    if (!cached) storeParse(digest, { data: source.data, validated: false });
    await validateOpenApi(source);
    await validateExtension(source);
    await checkPatterns(source);
    validatedDigests.add(digest);
    storeParse(digest, { data: source.data, validated: true });
  }
  checkReferences(source, options.requireFolderName === false ? undefined : basename(resolve(dir)));
  const spec = buildSpecModel(source, resolve(dir), 'mock');
  registerAuthRedaction(spec);
  return spec;
}

export async function loadSpecById(
  id: string,
  specsDir = defaultSpecsDir(),
  options: { trustedDigests?: readonly string[] } = {},
): Promise<ProviderSpec> {
  const ids = listSpecIds(specsDir);
  if (!ids.includes(id)) {
    throw new HarnessError('USAGE', `unknown provider "${id}"`, {
      fix: `use one of: ${ids.join(', ')} (kling-conformance specs lists them)`,
    });
  }
  return loadSpec(join(specsDir, id), options);
}

/** The digests of every spec this process validated (to hand to worker processes). */
export const validatedSpecDigests = (): string[] => [...validatedDigests];

export async function loadAllSpecs(specsDir = defaultSpecsDir()): Promise<ProviderSpec[]> {
  return Promise.all(listSpecIds(specsDir).map((id) => loadSpec(join(specsDir, id))));
}

/**
 * The OpenAPI meta-schema, compiled once per process and shared by every spec's validator: its compile is the slowest
 * part of loading a spec. (`ajvValidators` is the Validator's per-version cache: public in its JavaScript, not in its
 * types; each spec still gets its own Validator, whose other state is per document.)
 */
const compiledMetaSchemas: Record<string, unknown> = {};
// the build precompiles the 3.1 meta-schema (scripts/precompile-validators.mjs): no compile at all then
const precompiledMeta = precompiledValidator('./openapi-3.1.validate.cjs');
if (precompiledMeta) compiledMetaSchemas['3.1'] = precompiledMeta;

async function validateOpenApi(source: SourceDocument): Promise<void> {
  // imported here: a start whose specs were validated before (parse cache) never loads the validator
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const validator = new Validator({ strict: false });
  (validator as unknown as { ajvValidators: Record<string, unknown> }).ajvValidators = compiledMetaSchemas;
  const result = await validator.validate(structuredClone(source.data));
  if (result.valid) return;
  const errors = Array.isArray(result.errors) ? result.errors : [{ instancePath: '', message: String(result.errors) }];
  // The OpenAPI meta-schema reports every failed oneOf branch; the deepest error is the useful one.
  const best = [...errors].sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length)[0]!;
  const line = source.lineOf(best.instancePath);
  throw new HarnessError(
    'SPEC_INVALID',
    `not a valid OpenAPI 3.1 document: ${best.instancePath || '(root)'} ` +
      `${best.message ?? ''}${line ? ` (line ${line})` : ''}`,
    {
      file: source.file,
      pointer: best.instancePath,
      fix: 'make that part follow the OpenAPI 3.1 specification (https://spec.openapis.org/oas/v3.1.0)',
    },
  );
}
