/**
 * Generates TypeScript types for every provider spec with openapi-typescript into src/generated/<id>.ts.
 * `--check` regenerates in memory and fails (exit 1) when a committed file is stale, so `npm test` catches a
 * spec edited without `npm run gen:types`.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import { writeFileAtomic } from '../src/core/atomic-write.ts';

const outDir = fileURLToPath(new URL('../src/generated/', import.meta.url));
const check = process.argv.includes('--check');
const stale: string[] = [];
mkdirSync(outDir, { recursive: true });
for (const spec of await loadAllSpecs()) {
  const ast = await openapiTS(structuredClone(spec.raw) as never, { defaultNonNullable: false, alphabetize: true });
  const text = `// Generated from specs/${spec.id}/openapi.yaml by \`npm run gen:types\`. Do not edit.\n${astToString(ast)}`;
  const file = `${outDir}${spec.id}.ts`;
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== text) stale.push(file);
  } else writeFileAtomic(file, text);
}
if (stale.length) {
  console.error(`generated types are stale: ${stale.join(', ')}\n  fix: run npm run gen:types and commit the result`);
  process.exit(1);
}
console.log(check ? 'generated types are up to date' : `types written to ${outDir}`);
