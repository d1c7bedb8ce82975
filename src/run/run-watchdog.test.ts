// The watchdog's stop freezes the suite workers before the runner reports: a worker left running past a deadline
// went on settling its abandoned creates (spend-ledger lines, its lock file) inside the report folder while the runner
// replaced that folder as a whole, and the replacement failed (IO, exit 2, no results.json).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKER_ANNOTATION } from '../worker/run-config.ts';
import { RunWatchdog } from './run-watchdog.ts';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Linux: the process's state letter (R, S, T, …). */
const state = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
};

describe.skipIf(process.platform !== 'linux')('RunWatchdog at the deadline', () => {
  it('freezes the workers it knows before it says the run stopped', async () => {
    // a stand-in worker: busy forever, as a worker whose check was abandoned at the deadline
    child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1)'], { stdio: 'ignore' });
    await new Promise((resolve) => child!.once('spawn', resolve));
    const watchdog = new RunWatchdog(Date.now() - 1);
    let cancelled = false;
    watchdog.onInit({ cancelCurrentRun: async () => void (cancelled = true) } as never);
    watchdog.onTestCaseAnnotate({ module: { moduleId: 'suites/requests.suite.ts' } } as never, {
      type: WORKER_ANNOTATION,
      message: String(child.pid),
    });
    expect(await watchdog.stopped).toEqual({ kind: 'deadline' });
    // stopped (SIGSTOP), not killed: vitest sees no worker exit while the report is written
    expect(state(child.pid!)).toBe('T');
    expect(cancelled).toBe(true);
  });
});
