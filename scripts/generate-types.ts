/**
 * Generates TypeScript types for every provider spec with openapi-typescript into src/generated/<id>.ts;
 * `--check` fails when a committed file is stale.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import { writeOrCheck } from './write-or-check.ts';

const outDir = fileURLToPath(new URL('../src/generated/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const files: Record<string, string> = {};
for (const spec of await loadAllSpecs()) {
  const ast = await openapiTS(structuredClone(spec.raw) as never, { defaultNonNullable: false, alphabetize: true });
  files[`${outDir}${spec.id}.ts`] = `// Generated from specs/${spec.id}/openapi.yaml by \`npm run gen:types\`. Do not edit.\n${astToString(ast)}`;
}
writeOrCheck(files, 'npm run gen:types');
