import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/core/atomic-write.ts';

/**
 * Writes generated files, or with `--check` compares them with what is committed and exits 1 naming the stale
 * ones and the command that regenerates them (so `npm test` fails on a spec edited without regenerating).
 */
export function writeOrCheck(files: Record<string, string>, regenerate: string): void {
  const check = process.argv.includes('--check');
  const stale = Object.entries(files).filter(([path, text]) =>
    check ? !existsSync(path) || readFileSync(path, 'utf8') !== text : (writeFileAtomic(path, text), false),
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
