/** Regenerates docs/checks.md, docs/drift.md and docs/providers.md; `--check` fails when one is stale. */
import { fileURLToPath } from 'node:url';
import { renderDocs } from '../src/docs/render-docs.ts';
import { writeOrCheck } from './write-or-check.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const docs = await renderDocs();
writeOrCheck(Object.fromEntries(Object.entries(docs).map(([file, text]) => [root + file, text])), 'npm run gen');
