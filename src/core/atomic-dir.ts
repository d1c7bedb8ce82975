import { copyFileSync, existsSync, linkSync, lstatSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ioError, writeFileAtomic } from './atomic-write.ts';
import { redact } from './redact.ts';
import { makeFolder } from './make-folder.ts';

/**
 * A folder's siblings while it is being replaced: `.<name>.kc-<pid>-<random>.<stage>`. `partial`: being written;
 * `ready`: complete, about to be renamed into place; `old`: the folder it replaces, about to be removed.
 */
const SIBLING = /^\.(.+)\.kc-(\d+)-[0-9a-f]+\.(partial|ready|old)$/;
/** what an older writer (one file at a time) left when it was killed: `<file>.<pid>.<ms>.tmp`, and write probes */
const STRAY = /(\.\d+\.\d+\.tmp|^\.kc-write-probe\.\d+)$/;

const alive = (pid: number): boolean => {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Finishes or removes what a writer killed while replacing `dir` left beside it: a complete set waiting to be renamed
 * into place is renamed in (if `dir` is gone), a replaced folder is put back (if nothing complete replaces it), and
 * partial sets are removed. Only leftovers of processes that are no longer running are touched.
 */
export function recoverFolder(dir: string): void {
  const parent = dirname(dir);
  const name = basename(dir);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  const mine = entries
    .map((e) => ({ e, m: SIBLING.exec(e) }))
    .filter(({ m }) => m && m[1] === name && !alive(Number(m[2])))
    .map(({ e, m }) => ({ path: join(parent, e), stage: m![3] as 'partial' | 'ready' | 'old' }));
  const order = { ready: 0, old: 1, partial: 2 };
  for (const { path, stage } of mine.sort((a, b) => order[a.stage] - order[b.stage])) {
    if (stage !== 'partial' && !existsSync(dir)) renameSync(path, dir);
    else rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Whether `dir` can be replaced as a whole: absent, or a real folder (not a link) holding only files, which are
 * carried over by hard link. A folder with subfolders, or the working directory or one above it, is written file
 * by file instead (each file still atomic): renaming it away would move what is not ours.
 */
function replaceable(dir: string): boolean {
  if (!existsSync(dir)) return true;
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) return false;
  const cwd = relative(resolve(dir), process.cwd());
  if (cwd === '' || (cwd !== '..' && !cwd.startsWith(`..${sep}`) && !isAbsolute(cwd))) return false;
  return readdirSync(dir, { withFileTypes: true }).every((e) => !e.isDirectory());
}

/** Links (or, where links are refused, copies) the files of `from` that `files` does not replace into `to`. */
function carryOver(from: string, to: string, files: Record<string, string>): void {
  if (!existsSync(from)) return;
  for (const entry of readdirSync(from)) {
    if (entry in files || STRAY.test(entry)) continue;
    try {
      linkSync(join(from, entry), join(to, entry));
    } catch {
      try {
        copyFileSync(join(from, entry), join(to, entry));
      } catch (err) {
        // gone since the folder was listed (another process's lock file, say): there is nothing to carry over
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  }
}

/** Puts the complete set `ready` where `dir` is: one rename, or (a non-empty `dir`) two with the old set aside. */
function swapIn(ready: string, dir: string, stem: string): void {
  try {
    // a missing or empty folder is replaced by one rename
    renameSync(ready, dir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
  }
  const old = `${stem}.old`;
  renameSync(dir, old);
  try {
    renameSync(ready, dir);
  } catch (err) {
    renameSync(old, dir);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Makes the sibling folder; false where the parent is not ours to write in (a writable folder in a read-only one). */
function madeFolder(path: string): boolean {
  try {
    makeFolder(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `files` (name → content, redacted first) into `dir` as one unit: the whole set is written into a new
 * sibling folder, which is then renamed into place, so a reader (or a kill -9 at any moment) finds the previous set
 * or the new one, never a mix, and no temp file inside `dir`. Other files already in `dir` (a ledger, a history) are
 * carried over by hard link. What a killed writer left beside `dir` is finished or removed first (recoverFolder).
 */
export function writeFolderAtomic(dir: string, files: Record<string, string>): void {
  try {
    recoverFolder(dir);
  } catch {
    // a leftover that cannot be tidied does not stop this write
  }
  const stem = join(dirname(dir), `.${basename(dir)}.kc-${process.pid}-${randomBytes(4).toString('hex')}`);
  const partial = `${stem}.partial`;
  if (!replaceable(dir) || !madeFolder(partial)) {
    for (const [name, content] of Object.entries(files)) writeFileAtomic(join(dir, name), content);
    return;
  }
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(partial, name), redact(content), 'utf8');
    carryOver(dir, partial, files);
    renameSync(partial, `${stem}.ready`);
    swapIn(`${stem}.ready`, dir, stem);
  } catch (err) {
    for (const left of [partial, `${stem}.ready`]) rmSync(left, { recursive: true, force: true });
    throw ioError(dir, err);
  }
}
