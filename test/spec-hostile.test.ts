// A spec from an untrusted pull request is data, not a denial of service: a catastrophic-backtracking pattern and a
// YAML alias bomb are refused at load with a stable code, the file and the pointer.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSpecsDir, loadSpec } from '../src/spec/load-spec.ts';
import { tempFolder } from './support/temp-folder.ts';

const PROVIDER = 'evolink-kling-v3-t2v';

/** A copy of a shipped spec folder whose openapi.yaml text went through `edit`. */
function editedSpec(edit: (text: string) => string): string {
  const dir = join(tempFolder('kc-spec-hostile-'), PROVIDER);
  cpSync(join(defaultSpecsDir(), PROVIDER), dir, { recursive: true });
  const file = join(dir, 'openapi.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return dir;
}

describe('hostile specs', () => {
  it('a pattern with catastrophic backtracking (^(a+)+$) is refused at load, naming its pointer', async () => {
    const dir = editedSpec((t) => t.replace('pattern: "^[0-9]+$"', 'pattern: "^(a+)+$"'));
    expect(readFileSync(join(dir, 'openapi.yaml'), 'utf8')).toContain('^(a+)+$');
    const err = await loadSpec(dir).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SPEC_INVALID' });
    expect((err as Error).message).toContain('catastrophic');
    expect((err as { pointer?: string }).pointer).toMatch(/\/pattern$/);
  }, 30_000);

  it('a YAML alias bomb is refused as SPEC_PARSE, not an internal ReferenceError', async () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from({ length: 8 }, (_, i) => {
        const p = String.fromCharCode(97 + i);
        const n = String.fromCharCode(98 + i);
        return `${n}: &${n} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]`;
      }),
    ].join('\n');
    const dir = editedSpec((t) => `${t}\nx-bomb:\n${bomb.replace(/^/gm, '  ')}\n`);
    await expect(loadSpec(dir)).rejects.toMatchObject({ code: 'SPEC_PARSE' });
  }, 30_000);
});
