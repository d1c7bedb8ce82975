/**
 * Regenerates the committed docs that come from code and specs: docs/checks.md (the check registry), and,
 * once the drift commands exist, docs/drift.md and docs/providers.md. `--check` fails when a file is stale.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../src/core/atomic-write.ts';
import { renderDocs } from '../src/docs/render-docs.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [file, text] of Object.entries(await renderDocs())) {
  const path = root + file;
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(file);
  } else writeFileAtomic(path, text);
}
if (stale.length) {
  console.error(`generated docs are stale: ${stale.join(', ')}\n  fix: run npm run gen:docs and commit the result`);
  process.exit(1);
}
console.log(check ? 'generated docs are up to date' : 'docs regenerated');
