import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { deleteAt, getAt, setAt } from '../../src/core/json-pointer.ts';
import { tempFolder } from './temp-folder.ts';

export type PatchOp = { op: 'add' | 'remove' | 'replace' | 'move'; path: string; from?: string; value?: unknown };

/** A tiny JSON Patch (RFC 6902 add/remove/replace/move), enough for the fixtures. */
export function applyPatch(doc: Record<string, unknown>, ops: PatchOp[]): Record<string, unknown> {
  const out = structuredClone(doc);
  for (const op of ops) {
    if (op.op === 'remove') deleteAt(out, op.path);
    else if (op.op === 'move') {
      const value = getAt(out, op.from!);
      deleteAt(out, op.from!);
      setAt(out, op.path, value);
    } else setAt(out, op.path, structuredClone(op.value));
  }
  return out;
}

/** A broken-spec fixture: a shipped spec, a few JSON Patch operations (or text edits for a YAML syntax error), and the
 * error it must give. */
export interface BrokenSpecFixture {
  name: string;
  base: string;
  patch?: PatchOp[];
  text?: { find: string; replace: string }[];
  expected: { code: string; pointer?: string; message: string };
}

export function readBrokenSpecFixtures(dir = 'fixtures/broken-specs'): BrokenSpecFixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: basename(f, '.json'),
      ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<BrokenSpecFixture, 'name'>),
    }));
}

/**
 * Writes each fixture as <root>/<name>/openapi.yaml: the base spec with its provider id set to the folder name and
 * the patch applied (or the text edits made). Returns the root, a specs dir of broken providers.
 */
export function materializeBrokenSpecs(fixtures = readBrokenSpecFixtures(), specsDir = 'specs'): string {
  const root = tempFolder('kc-broken-');
  for (const f of fixtures) {
    const text = readFileSync(join(specsDir, f.base, 'openapi.yaml'), 'utf8');
    let out: string;
    if (f.text) {
      out = text.replace(`id: ${f.base}`, `id: ${f.name}`);
      for (const edit of f.text) {
        if (!out.includes(edit.find)) throw new Error(`${f.name}: "${edit.find}" is not in ${f.base}`);
        out = out.replace(edit.find, edit.replace);
      }
    } else {
      const doc = parseDocument(text).toJS() as Record<string, unknown>;
      setAt(doc, '/x-conformance/provider/id', f.name);
      out = stringify(applyPatch(doc, f.patch ?? []), { lineWidth: 0 });
    }
    mkdirSync(join(root, f.name));
    writeFileSync(join(root, f.name, 'openapi.yaml'), out);
  }
  return root;
}
