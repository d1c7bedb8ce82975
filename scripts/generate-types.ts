/**
 * Generates TypeScript types for every provider spec with openapi-typescript into src/generated/<id>.ts;
 * `--check` fails when a committed file is stale.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import { writeOrCheck } from './write-or-check.ts';

const outDir = fileURLToPath(new URL('../src/generated/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const files: Record<string, string> = {};
/**
 * Types describe shapes. Combinators that only add rules (anyOf of `required` lists, if/then/else) would make
 * openapi-typescript widen a request type to `unknown`; they are dropped here and stay enforced by the
 * compiled validators.
 */
function shapesOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shapesOnly);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  const constraintOnly = (s: unknown) =>
    !!s && typeof s === 'object' && !['type', '$ref', 'properties', 'items'].some((k) => k in s);
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'if' || key === 'then' || key === 'else') && 'properties' in node) continue;
    if (
      (key === 'anyOf' || key === 'oneOf' || key === 'allOf') &&
      'properties' in node &&
      Array.isArray(value) &&
      value.every(constraintOnly)
    )
      continue;
    out[key] = shapesOnly(value);
  }
  return out;
}

const specs = await loadAllSpecs();
for (const spec of specs) {
  const ast = await openapiTS(shapesOnly(structuredClone(spec.raw)) as never, {
    defaultNonNullable: false,
    alphabetize: true,
  });
  files[`${outDir}${spec.id}.ts`] =
    `// Generated from specs/${spec.id}/openapi.yaml by \`npm run gen\`. Do not edit.\n${astToString(ast)}`;
}
// one map from provider id to its create request body type (the create operation's JSON request body): what the
// typed request builders of kling-conformance/vitest return
const alias = (id: string) => `P${id.replace(/[^A-Za-z0-9]/g, '_')}`;
files[`${outDir}index.ts`] = [
  '// Generated from specs/ by `npm run gen`. Do not edit.',
  ...specs.map((s) => `import type { operations as ${alias(s.id)} } from './${s.id}.ts';`),
  '',
  '/** provider id → the body its create operation documents */',
  'export interface ProviderRequests {',
  ...specs.map(
    (s) =>
      `  '${s.id}': NonNullable<${alias(s.id)}['${s.create.operationId}']['requestBody']>` +
      `['content']['application/json'];`,
  ),
  '}',
  '',
  'export type ProviderId = keyof ProviderRequests;',
  '',
].join('\n');

// a provider folder that was removed leaves no stale types behind
const orphans = readdirSync(outDir).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !(`${outDir}${f}` in files),
);
if (orphans.length && process.argv.includes('--check')) {
  console.error(`generated files without a spec: ${orphans.join(', ')}\n  fix: run npm run gen and commit the result`);
  process.exit(1);
}
for (const f of orphans) rmSync(`${outDir}${f}`);
writeOrCheck(files, 'npm run gen');
