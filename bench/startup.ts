/**
 * CLI start-up, side by side with `node -e 0`: each command run 15 times, interleaved (so a busy moment costs every
 * command alike), median wall time. Runs the build (dist/), as an installed package does; builds it first if stale.
 * `npm run bench:startup` prints a Markdown table for the README.
 */
import { execFileSync, spawnSync } from 'node:child_process';
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
const times = commands.map(() => [] as number[]);
for (let i = 0; i < RUNS; i++) {
  commands.forEach(([, args], c) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    times[c]!.push(performance.now() - t);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}`);
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(times[0]!);
console.log('| command | median of 15 | × `node -e 0` |\n|---|---|---|');
for (const [c, [name]] of commands.entries())
  console.log(`| ${name} | ${median(times[c]!).toFixed(0)} ms | ${(median(times[c]!) / base).toFixed(1)}× |`);
console.log(`\nnode ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
