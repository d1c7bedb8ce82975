#!/usr/bin/env node
// npm run build (and `prepack`: npm pack / publish; no install-time script): the TypeScript sources to dist/ as JS with
// declarations, so the installed package runs on plain Node with no TypeScript loader. Plain JS on purpose: it runs
// before anything is built.
//  1. tsc -p tsconfig.build.json: src/ and suites/ → dist/src, dist/suites (relative ".ts" imports become ".js")
//  2. the JSON the code reads beside itself (src/**/*.json) is copied over
//  3. the OpenAPI meta-schema and our x-conformance schema are precompiled to standalone validators
//     (scripts/precompile-validators.mjs)
//  5. the built-in specs parsed and validated, and their validators compiled, into dist/cache/ (scripts/warm-cache.mjs)
//  4. declarations keep the sources' ".ts" import paths (tsc rewrites only the JavaScript): they are made ".js", so a
//     consumer's TypeScript (bundler or nodenext resolution, strict) resolves them to the .d.ts files beside them
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precompileValidators } from './precompile-validators.mjs';
import { warmCache } from './warm-cache.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
for (const file of walk(join(root, 'src')).filter((f) => f.endsWith('.json')))
  cpSync(file, join(dist, file.slice(root.length + 1)));
precompileValidators(root, dist);
let rewritten = 0;
for (const file of walk(dist).filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(
    /(\bfrom\s+|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]+?)\.ts\2/g,
    (_, lead, q, path) => `${lead}${q}${path}.js${q}`,
  );
  if (next !== text) {
    writeFileSync(file, next);
    rewritten++;
  }
}
warmCache(root, dist);
// the stamp bin/build-state.js compares with the sources' times
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
process.stderr.write(`built dist/ (${rewritten} declaration files' imports made .js)\n`);
