import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from './redact.ts';

/**
 * Writes a file so that a reader sees either the old or the whole new content, never a torn one:
 * write a sibling temp file, then rename (atomic on one file system). Content is redacted first.
 * (write-file-atomic does the same but its current major needs Node 22.)
 */
export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, redact(content), 'utf8');
  renameSync(tmp, path);
}
