// Kills one vitest worker with SIGKILL during `run --all --target mock`, N times (default 20), at spread-out moments,
// and counts the runs that hung (still running 30 s after their last worker was gone, or 240 s after the kill) and
// how each ended.
// Run: node --import tsx scripts/dead-worker-trials.ts [trials]
import { deadWorkerTrial } from '../test/support/dead-worker-trial.ts';

const trials = Number(process.argv[2] ?? 20);
let hangs = 0;
const seconds: number[] = [];
const reconcile: number[] = [];
for (let i = 0; i < trials; i++) {
  const outcome = await deadWorkerTrial(200 + ((i * 997) % 8000));
  if (outcome.hung) hangs += 1;
  seconds.push(outcome.afterKillMs / 1000);
  reconcile.push(outcome.afterLastWorkerMs / 1000);
  const why = outcome.stderr.match(/RUN_INCOMPLETE[^\n]*/)?.[0]?.slice(0, 140) ?? '';
  console.log(
    `trial ${i + 1}: killed ${outcome.killed ?? 'none (run already over)'}, exit ${outcome.code}, ` +
      `${outcome.hung ? 'HUNG' : `ended ${(outcome.afterKillMs / 1000).toFixed(1)} s after the kill`}, ` +
      `${(outcome.afterLastWorkerMs / 1000).toFixed(1)} s after its last worker ${why}`,
  );
}
const stats = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} s, max ${sorted.at(-1)!.toFixed(1)} s`;
};
console.log(
  `${trials} trials: ${hangs} hung; exit after the kill: ${stats(seconds)}; ` +
    `exit after the last surviving worker ended: ${stats(reconcile)}`,
);
process.exitCode = hangs ? 1 : 0;
