import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { makeFolder } from './make-folder.ts';

const temp = () => tempFolder('kc-make-folder-');
const codeOf = (make: () => void) => {
  try {
    make();
    return 'made';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  }
};

describe('makeFolder', () => {
  it('makes every missing level, and an existing folder is fine', () => {
    const dir = join(temp(), 'a', 'b', 'c');
    makeFolder(dir);
    makeFolder(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
  });

  it('fails at once where a file blocks a level, or the parent is read-only', () => {
    const root = temp();
    writeFileSync(join(root, 'file'), '');
    expect(codeOf(() => makeFolder(join(root, 'file', 'sub')))).toBe('ENOTDIR');
    expect(codeOf(() => makeFolder(join(root, 'file')))).toBe('ENOTDIR');
    mkdirSync(join(root, 'ro'));
    chmodSync(join(root, 'ro'), 0o500);
    // root ignores permission bits: only a non-root user meets EACCES here
    if (process.getuid?.() !== 0) expect(codeOf(() => makeFolder(join(root, 'ro', 'x', 'y')))).toBe('EACCES');
  });

  it.runIf(process.platform === 'linux')('fails at once under /proc (where Node 20 recursive mkdir spins)', () => {
    expect(codeOf(() => makeFolder('/proc/kc-nope/sub'))).toBe('ENOENT');
  });
});
