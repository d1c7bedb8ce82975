import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertWritable } from './atomic-write.ts';

let root: string;
const fresh = () => (root = mkdtempSync(join(tmpdir(), 'kc-undo-')));
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('assertWritable: what it makes, it can take back', () => {
  it('removes the folders it made and the empty history it created', () => {
    const dir = fresh();
    const undo = assertWritable(join(dir, 'a', 'b', 'c'), join(dir, 'h', 'history.jsonl'));
    expect(readdirSync(dir).sort()).toEqual(['a', 'h']);
    undo();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps what was there before, and what was written since', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'reports'));
    writeFileSync(join(dir, 'history.jsonl'), '');
    const undo = assertWritable(join(dir, 'reports', 'night', 'x'), join(dir, 'history.jsonl'));
    writeFileSync(join(dir, 'reports', 'night', 'ledger.jsonl'), '{}\n');
    undo();
    expect(existsSync(join(dir, 'reports', 'night', 'x'))).toBe(false);
    expect(existsSync(join(dir, 'reports', 'night', 'ledger.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'history.jsonl'))).toBe(true);
  });

  it('leaves nothing when the folder cannot be made (a file in the way)', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => assertWritable(join(dir, 'file', 'x'))).toThrow(/cannot write/);
    // the report folder was made, then the history could not be: the folder is taken back too
    expect(() => assertWritable(join(dir, 'ok', 'night'), join(dir, 'file', 'h', 'h.jsonl'))).toThrow(/cannot write/);
    expect(readdirSync(dir)).toEqual(['file']);
  });
});
