/**
 * CLI start-up, side by side with `node -e 0`: each command run 15 times in each of three cache states, all
 * interleaved (so a busy moment costs every command alike), median wall time. Runs the build (dist/), as an installed
 * package does; builds it first if stale. The states:
 *   warm       — the project's cache holds this command's entries (every run after the first)
 *   first run  — an empty project cache (a fresh KLING_CONFORMANCE_CACHE_DIR per run): what the first command
 *                after an install meets; the built-in specs come from the cache the build ships (dist/cache/)
 *   no cache   — KLING_CONFORMANCE_NO_CACHE=1: every spec parsed and validated, every validator compiled
 * `npm run bench:startup` prints a Markdown table for the README.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { codeToRun } from '../bin/build-state.js';

if (codeToRun() !== 'dist') execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const commands: [string, string[]][] = [
  ['node -e 0 (baseline)', ['-e', '0']],
  ['--help', ['bin/kling-conformance.js', '--help']],
  ['--version', ['bin/kling-conformance.js', '--version']],
  ['run --help', ['bin/kling-conformance.js', 'run', '--help']],
  ['specs (loads and validates 7 specs)', ['bin/kling-conformance.js', 'specs']],
  [
    'validate (1 spec, 1 body)',
    [
      'bin/kling-conformance.js',
      'validate',
      '--provider',
      'evolink-kling-v3-t2v',
      '--body',
      '{"prompt":"a cat","model":"kling-v3-text-to-video"}',
    ],
  ],
  ['cases (1 spec)', ['bin/kling-conformance.js', 'cases', '--provider', 'evolink-kling-v3-t2v']],
];
const RUNS = 15;
const warmDir = mkdtempSync(join(tmpdir(), 'kc-bench-warm-'));
const states: { name: string; env: () => Record<string, string> }[] = [
  { name: 'warm', env: () => ({ KLING_CONFORMANCE_CACHE_DIR: warmDir }) },
  { name: 'first run', env: () => ({ KLING_CONFORMANCE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'kc-bench-first-')) }) },
  { name: 'no cache', env: () => ({ KLING_CONFORMANCE_NO_CACHE: '1' }) },
];
const spawn = (args: string[], env: Record<string, string>) => {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, ...env } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return performance.now() - t;
};
// fill the warm cache once
for (const [, args] of commands) spawn(args, states[0]!.env());
const times = states.map(() => commands.map(() => [] as number[]));
for (let i = 0; i < RUNS; i++) {
  for (const [s, state] of states.entries()) {
    commands.forEach(([, args], c) => {
      const env = state.env();
      times[s]![c]!.push(spawn(args, env));
      if (env.KLING_CONFORMANCE_CACHE_DIR && env.KLING_CONFORMANCE_CACHE_DIR !== warmDir)
        rmSync(env.KLING_CONFORMANCE_CACHE_DIR, { recursive: true, force: true });
    });
  }
}
rmSync(warmDir, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `| command | ${states.map((s) => `${s.name} | ×`).join(' | ')} |\n|---|${states.map(() => '---|---|').join('')}`,
);
for (const [c, [name]] of commands.entries()) {
  const cells = states.map((_, s) => {
    const base = median(times[s]![0]!);
    const m = median(times[s]![c]!);
    return `${m.toFixed(0)} ms | ${(m / base).toFixed(1)}×`;
  });
  console.log(`| ${name} | ${cells.join(' | ')} |`);
}
console.log(
  `\nmedian of ${RUNS} per cell, × = this state's \`node -e 0\` · node ` +
    `${process.version}, ${new Date().toISOString().slice(0, 10)}`,
);
