import {
  appendFileSync,
  closeSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
  fstatSync,
  readSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** Removes a temp file if it is there; never throws (the path may be blocked, which is the error being reported). */
const removeQuietly = (path: string) => {
  try {
    rmSync(path, { force: true });
  } catch {
    // nothing was written there
  }
};
import { HarnessError } from './errors.ts';
import { redact } from './redact.ts';
import { makeEmptyFileIfMissing, makeFolder, type Undo, undoAll } from './undo-created.ts';

/** A write that failed on our side (a blocked path, a full disk) is a harness error that says what to do. */
export function ioError(path: string, err: unknown): HarnessError {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
  const why: Record<string, string> = {
    ENOTDIR: 'a file stands where a folder of that path should be',
    EISDIR: 'a folder stands where the file should be',
    EEXIST: 'a file stands where a folder of that path should be',
    ENOSPC: 'the disk is full',
    EACCES: 'permission denied',
    EROFS: 'the file system is read-only',
    ENOENT: 'no folder can be made there (its parent does not take new folders, as in /proc)',
  };
  return new HarnessError('IO', `cannot write ${path}: ${why[code] ?? code}`, {
    file: path,
    fix:
      code === 'ENOSPC'
        ? 'free disk space and run again'
        : 'choose another --report-dir / --history / --record / output path, or move what is in the way',
  });
}

/**
 * Writes a file so that a reader sees either the old or the whole new content, never a torn one:
 * write a sibling temp file, then rename (atomic on one file system). Content is redacted first; on failure the
 * temp file is removed and a HarnessError (exit 2) says why. (write-file-atomic's current major needs Node 22.)
 */
export function writeFileAtomic(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    makeFolder(dirname(path));
    writeFileSync(tmp, redact(content), 'utf8');
    renameSync(tmp, path);
  } catch (err) {
    removeQuietly(tmp);
    throw ioError(path, err);
  }
}

/**
 * Appends one line with a single write on a file opened O_APPEND: concurrent writers never interleave, and a process
 * killed mid-run leaves every earlier line intact (no read-modify-rename). The kernel may still cut a write short at a
 * page boundary when its writer is killed (a fatal signal is checked between pages): such a torn tail gets a newline
 * before the next line, so only the killed writer's own unfinished line is lost — readers skip it — never the next.
 */
export function appendLineAtomic(path: string, line: string): void {
  try {
    makeFolder(dirname(path));
    const fd = openSync(path, 'a+');
    try {
      const size = fstatSync(fd).size;
      const last = Buffer.alloc(1);
      const torn = size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
      // one write(2) on an O_APPEND descriptor; a short write is an error, not something to retry half-way
      const bytes = Buffer.from(`${torn ? '\n' : ''}${redact(line.replace(/\n/g, ' '))}\n`, 'utf8');
      const written = writeSync(fd, bytes);
      if (written !== bytes.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw ioError(path, err);
  }
}

/**
 * Fails fast (before a run spends time or money) when reports could not be written to `dir` or `file`; what it had to
 * create for that (the folders, an empty history file) it can take back: the command calls the returned undo when it
 * stops on a harness error before writing anything, so a refused command leaves nothing behind.
 */
export function assertWritable(dir: string, file?: string): Undo {
  const probe = `${dir}/.kc-write-probe.${process.pid}`;
  let undoDir: Undo = () => {};
  try {
    undoDir = makeFolder(dir);
    writeFileSync(probe, '');
  } catch (err) {
    removeQuietly(probe);
    undoDir();
    throw ioError(dir, err);
  }
  removeQuietly(probe);
  if (!file) return undoDir;
  try {
    return undoAll(
      undoDir,
      makeEmptyFileIfMissing(file, (f) => appendFileSync(f, '', { flag: 'a' })),
    );
  } catch (err) {
    undoDir();
    throw ioError(file, err);
  }
}
