// One trial of "kill -9 one vitest worker during `run --all --target mock`": spawns the CLI, waits until its
// workers run, kills one of them with SIGKILL after `delayMs`, and reports how the run ended (or that it hung).
// Used by test/kill-safety.test.ts (a few trials) and scripts/dead-worker-trials.ts (the README's 20).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempFolder } from './temp-folder.ts';

export interface TrialOutcome {
  code: number | null;
  /**
   * the CLI was still running `idleMs` after its last worker was gone (nothing left to wait for), or `hangMs` after
   * the kill (it was then killed)
   */
  hung: boolean;
  killed?: number;
  /** from the kill to the CLI's exit */
  afterKillMs: number;
  /** from the moment no worker was left (the other suites done) to the CLI's exit: how long reconciling took */
  afterLastWorkerMs: number;
  stderr: string;
  reportDir: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The vitest fork workers among a process's children (Linux /proc). */
export function workerPids(parent: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('workers/forks'))
        out.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return out;
}

export async function deadWorkerTrial(delayMs: number, hangMs = 240_000, idleMs = 30_000): Promise<TrialOutcome> {
  const reportDir = tempFolder('kc-dead-worker-');
  const historyFile = join(tempFolder('kc-dead-worker-history-'), 'history.jsonl');
  const bin = fileURLToPath(new URL('../../bin/kling-conformance.js', import.meta.url));
  const cli = spawn(
    process.execPath,
    [bin, 'run', '--all', '--target', 'mock', '--quiet', '--report-dir', reportDir, '--history', historyFile],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  // wait for the workers, then let them run a little before killing one
  while (!done && workerPids(cli.pid!).length === 0) await sleep(50);
  await sleep(delayMs);
  const workers = workerPids(cli.pid!);
  const killed = workers[Math.floor(Math.random() * workers.length)];
  if (killed !== undefined) process.kill(killed, 'SIGKILL');
  const at = Date.now();
  let lastWorkerAt = Date.now();
  let hung = false;
  while (!done) {
    if (workerPids(cli.pid!).length > 0) lastWorkerAt = Date.now();
    if (Date.now() - lastWorkerAt > idleMs || Date.now() - at > hangMs) {
      hung = true;
      cli.kill('SIGKILL');
      break;
    }
    await sleep(100);
  }
  const code = await exited;
  const afterKillMs = Date.now() - at;
  return {
    code,
    hung,
    killed,
    afterKillMs,
    afterLastWorkerMs: Date.now() - lastWorkerAt,
    stderr,
    reportDir,
  };
}
