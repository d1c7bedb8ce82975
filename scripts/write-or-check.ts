import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes one generated file whole (temp file, then rename). Not through core's writeFileAtomic: that one redacts,
 * and generated docs and types hold only spec text — a documented message such as "API Key validation failed" is
 * not a secret, and scrubbing it would make `--check` report the file stale forever. No run secret is ever loaded
 * by the generators, so there is nothing here to redact.
 */
function writeWhole(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text, 'utf8');
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Writes generated files, or with `--check` compares them with what is committed and exits 1 naming the stale
 * ones and the command that regenerates them (so `npm test` fails on a spec edited without regenerating).
 */
export function writeOrCheck(files: Record<string, string>, regenerate: string): void {
  const check = process.argv.includes('--check');
  const stale = Object.entries(files).filter(([path, text]) =>
    check ? !existsSync(path) || readFileSync(path, 'utf8') !== text : (writeWhole(path, text), false),
  );
  if (stale.length) {
    console.error(
      `generated files are stale: ${stale.map(([p]) => p).join(', ')}\n  fix: run ${regenerate} and commit the result`,
    );
    process.exit(1);
  }
  console.log(
    check ? `up to date (${Object.keys(files).length} files)` : `written (${Object.keys(files).length} files)`,
  );
}
