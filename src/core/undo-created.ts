import { existsSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { makeFolder as mkdirP } from './make-folder.ts';

/** Takes back what a command made before it stopped on a harness error: it leaves nothing it created behind. */
export type Undo = () => void;

/**
 * Removes `leaf` and each folder above it up to `top` (the first one `mkdir -p` made), while they are empty: a folder
 * something else has written into since is kept, with every folder above it.
 */
function removeEmptyFolders(leaf: string, top: string): void {
  const last = resolve(top);
  for (let folder = resolve(leaf); ; folder = dirname(folder)) {
    try {
      rmdirSync(folder);
    } catch {
      return; // not empty, gone or blocked: what is left is not ours to remove
    }
    if (folder === last || folder === dirname(folder)) return;
  }
}

/**
 * `mkdir -p dir` (make-folder.ts: one that always ends), and how to take back the folders it made (while they are
 * still empty).
 */
export function makeFolder(dir: string): Undo {
  const first = mkdirP(dir);
  return first ? () => removeEmptyFolders(dir, first) : () => {};
}

/** Creates `file` (empty) and its folders if missing, and how to take them back (while the file is still empty). */
export function makeEmptyFileIfMissing(file: string, create: (file: string) => void): Undo {
  const existed = existsSync(file);
  const undoFolder = makeFolder(dirname(file));
  try {
    create(file);
  } catch (err) {
    undoFolder();
    throw err;
  }
  if (existed) return undoFolder;
  return () => {
    try {
      if (statSync(file).size === 0) rmSync(file, { force: true });
    } catch {
      // gone already
    }
    undoFolder();
  };
}

/** Every undo, the last made first. */
export const undoAll =
  (...undos: Undo[]): Undo =>
  () => {
    for (const undo of undos.reverse()) undo();
  };
