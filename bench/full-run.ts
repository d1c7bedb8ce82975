/**
 * The whole mock run (`run --all --target mock`, every provider and check), this checkout against an earlier
 * revision, side by side: runs alternate (so a busy moment costs both alike), median of 3 each.
 * `npm run bench:full-run -- <git-ref>` (default f274e5f, the revision before the build, the lazy CLI, parallel suite
 * files and validate-once specs). The earlier revision is checked out into a temporary git worktree that shares
 * this checkout's node_modules.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { codeToRun } from '../bin/build-state.js';

const ref = process.argv[2] ?? 'f274e5f';
const root = resolve('.');
if (codeToRun() !== 'dist') execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const old = join(mkdtempSync(join(tmpdir(), 'kc-bench-')), 'old');
execFileSync('git', ['worktree', 'add', '--detach', old, ref], { stdio: 'ignore' });
symlinkSync(join(root, 'node_modules'), join(old, 'node_modules'));
const reports = mkdtempSync(join(tmpdir(), 'kc-bench-reports-'));

function once(cwd: string, label: string, i: number): number {
  const t = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      'bin/kling-conformance.js',
      'run',
      '--all',
      '--target',
      'mock',
      '--quiet',
      '--report-dir',
      join(reports, `${label}-${i}`),
      '--history',
      join(reports, `${label}.jsonl`),
    ],
    { cwd, stdio: 'ignore' },
  );
  if (r.status !== 0) throw new Error(`${label} run exited ${r.status}`);
  return performance.now() - t;
}

try {
  const times = { old: [] as number[], now: [] as number[] };
  once(old, 'warm-old', 0);
  once(root, 'warm-now', 0);
  for (let i = 1; i <= 3; i++) {
    times.old.push(once(old, 'old', i));
    times.now.push(once(root, 'now', i));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const [o, n] = [median(times.old), median(times.now)];
  console.log(`| full mock run (7 providers, every check) | median of 3 |\n|---|---|`);
  console.log(`| ${ref} | ${(o / 1000).toFixed(1)} s |`);
  console.log(`| this checkout | ${(n / 1000).toFixed(1)} s |`);
  console.log(`| ratio | ${(n / o).toFixed(2)}× |`);
  console.log(`\nnode ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', old], { stdio: 'ignore' });
  if (existsSync(reports)) rmSync(reports, { recursive: true, force: true });
}
