import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { recoverFolder, writeFolderAtomic } from './atomic-dir.ts';
import { registerSecret } from './redact.ts';

const fresh = () => tempFolder('kc-dir-');
/** a pid no process has (above the kernel's pid_max) */
const DEAD = 4_194_305;
const read = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );

describe('writeFolderAtomic', () => {
  it('replaces the set as a whole, keeps the other files in the folder and leaves nothing beside it', () => {
    const root = fresh();
    const dir = join(root, 'out');
    writeFolderAtomic(dir, { 'a.txt': 'run 1', 'b.txt': 'run 1' });
    writeFileSync(join(dir, 'ledger.jsonl'), 'kept\n');
    writeFileSync(join(dir, 'b.txt.123.456.tmp'), 'a stray temp file of a killed older writer');
    writeFolderAtomic(dir, { 'a.txt': 'run 2', 'b.txt': 'run 2' });
    expect(read(dir)).toEqual({ 'a.txt': 'run 2', 'b.txt': 'run 2', 'ledger.jsonl': 'kept\n' });
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('redacts what it writes', () => {
    const dir = join(fresh(), 'out');
    registerSecret('sk-dir-canary-0123456789abcdef');
    writeFolderAtomic(dir, { 'a.txt': 'echoed sk-dir-canary-0123456789abcdef' });
    expect(read(dir)['a.txt']).not.toContain('sk-dir-canary');
  });

  it('writes file by file into a folder that also holds folders (never renames what is not ours away)', () => {
    const dir = join(fresh(), 'out');
    mkdirSync(join(dir, 'theirs'), { recursive: true });
    writeFolderAtomic(dir, { 'a.txt': 'run 1' });
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'theirs']);
  });
});

describe('recoverFolder', () => {
  it('renames in a complete set a killed writer left, puts a replaced folder back, removes partial sets', () => {
    const root = fresh();
    const dir = join(root, 'out');
    const sibling = (stage: string, content: string) => {
      const path = join(root, `.out.kc-${DEAD}-0a1b.${stage}`);
      mkdirSync(path);
      writeFileSync(join(path, 'a.txt'), content);
    };
    sibling('old', 'run 1');
    sibling('ready', 'run 2');
    recoverFolder(dir);
    expect(read(dir)).toEqual({ 'a.txt': 'run 2' });
    expect(readdirSync(root)).toEqual(['out']);
    const root2 = fresh();
    mkdirSync(join(root2, `.out.kc-${DEAD}-0a1b.old`));
    mkdirSync(join(root2, `.out.kc-${DEAD}-0a1b.partial`));
    // a living writer's set is its own business
    mkdirSync(join(root2, `.out.kc-${process.pid}-0a1b.partial`));
    recoverFolder(join(root2, 'out'));
    expect(readdirSync(root2).sort()).toEqual([`.out.kc-${process.pid}-0a1b.partial`, 'out']);
  });
});
