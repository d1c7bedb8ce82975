import { readdirSync, readFileSync } from 'node:fs';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import { WORKER_ANNOTATION } from '../worker/run-config.ts';

/**
 * Why the runner stopped vitest itself: the run's deadline passed, a worker died and vitest did not notice, or the
 * run ended and vitest would not close (it waits up to a minute for a worker that is gone).
 */
export type StopReason =
  | { kind: 'deadline' }
  | { kind: 'dead-worker'; pid: number; module?: string }
  | { kind: 'not-closing' }
  // vitest itself failed (its run or its close rejected: a worker's IPC channel closed, ERR_IPC_CHANNEL_CLOSED)
  // (`closing`: after its run ended — a problem only where results are missing)
  | { kind: 'vitest-error'; message: string; closing?: true };

/** How often the watchdog looks; how long a worker may be gone (or the deadline past) before the run is stopped. */
const TICK_MS = 250;
/** How long vitest gets to close (after its run, or after being stopped) before the runner reports without it. */
const CLOSE_MS = 2000;
const GRACE_MS = 3000;

/**
 * A vitest reporter that watches the run from the parent process and ends it when vitest cannot: at the run's
 * deadline (a check, a --client import or a create that never returns), or when a worker process is gone while
 * its suite file has not ended (a kill -9 vitest does not always notice). Workers announce their pid through a
 * test annotation; on Linux the parent's child processes are also read from /proc (a worker killed before its
 * first test announced nothing). `stopped` settles with the reason; the runner then reports what came back.
 */
export class RunWatchdog implements Reporter {
  private vitest?: Vitest;
  private readonly pids = new Map<number, string>();
  private readonly seenChildren = new Set<number>();
  private runEndedAt?: number;
  private timer?: NodeJS.Timeout;
  private suspect?: { reason: StopReason; since: number };
  private settle!: (reason: StopReason) => void;
  reason?: StopReason;
  readonly stopped = new Promise<StopReason>((resolve) => (this.settle = resolve));

  constructor(private readonly deadlineAt: number) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  onTestModuleEnd(testModule: TestModule): void {
    for (const [pid, module] of this.pids) if (module === testModule.moduleId) this.pids.delete(pid);
  }

  onTestCaseAnnotate(testCase: TestCase, annotation: { type: string; message: string }): void {
    if (annotation.type === WORKER_ANNOTATION) this.pids.set(Number(annotation.message), testCase.module.moduleId);
  }

  onTestRunEnd(): void {
    this.runEndedAt = Date.now();
  }

  /** The runner has what it waited for: no more watching. */
  dispose(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    if (this.reason) return;
    const now = Date.now();
    if (this.runEndedAt !== undefined) {
      if (now - this.runEndedAt >= CLOSE_MS) this.stop({ kind: 'not-closing' });
      return;
    }
    const found: StopReason | undefined =
      now >= this.deadlineAt ? { kind: 'deadline' } : (this.deadWorker() ?? this.noWorkersLeft());
    if (!found) {
      this.suspect = undefined;
      return;
    }
    // vitest gets a moment to notice a dead worker itself; the deadline is a wall (checks past it are reported
    // as `error: deadline` whether or not their worker got to say so)
    if (!this.suspect || this.suspect.reason.kind !== found.kind) this.suspect = { reason: found, since: now };
    if (found.kind === 'deadline' || now - this.suspect.since >= GRACE_MS) this.stop(found);
  }

  private deadWorker(): StopReason | undefined {
    for (const [pid, module] of this.pids) if (!alive(pid)) return { kind: 'dead-worker', pid, module };
    return undefined;
  }

  /**
   * Linux: the run has not ended, yet every worker it started is gone and none runs (a worker killed before it
   * was given its file leaves vitest waiting for that file forever, with no worker to run it).
   */
  private noWorkersLeft(): StopReason | undefined {
    const children = childPids();
    if (!children) return undefined;
    for (const pid of children) this.seenChildren.add(pid);
    if (this.seenChildren.size === 0 || children.length > 0) return undefined;
    return { kind: 'dead-worker', pid: [...this.seenChildren].at(-1)! };
  }

  private stop(reason: StopReason): void {
    this.reason = reason;
    clearInterval(this.timer);
    // The workers are frozen before the runner reports: past a stop they would go on (a check abandoned at the deadline
    // still settles its creates: spend-ledger lines, its lock file) inside the report folder the runner is replacing as
    // a whole, which then fails. Frozen, not killed: vitest may still write to them while the report is written, and a
    // worker's exit (a broken pipe, its pool's unhandled rejection) would end the runner before its report.
    const workers = [...this.pids.keys(), ...(childPids() ?? [])];
    freeze(workers);
    void this.vitest?.cancelCurrentRun('keyboard-input').catch(() => undefined);
    // they are killed when the runner exits (SIGKILL ends a stopped process too)
    process.once('exit', () => {
      for (const pid of [...workers, ...this.pids.keys(), ...(childPids() ?? [])]) kill(pid);
    });
    this.settle(reason);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function kill(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** How long the runner waits for the workers it froze to be stopped (a process in a disk wait stops after it). */
const FREEZE_WAIT_MS = 1000;

/**
 * Stops these processes (SIGSTOP) and, on Linux, waits until each is stopped or gone (a write(2) under way when the
 * signal came finishes first), within FREEZE_WAIT_MS: once this returns, none of them writes anything more.
 */
export function freeze(pids: number[]): void {
  for (const pid of pids) kill(pid, 'SIGSTOP');
  if (process.platform !== 'linux') return;
  const until = Date.now() + FREEZE_WAIT_MS;
  const pending = new Set(pids);
  while (pending.size && Date.now() < until) {
    for (const pid of pending) if (stoppedOrGone(pid)) pending.delete(pid);
    if (pending.size) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
  }
}

/** Linux: the process is stopped (T, t), a zombie (Z, X) or no longer there. */
export function stoppedOrGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[TtZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true;
  }
}

/** This process's live vitest worker processes (Linux, from /proc); undefined where /proc cannot say. */
function childPids(): number[] | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const out: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")"
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(ppid) !== process.pid || state === 'Z') continue;
        // vitest's fork workers, not the esbuild service vite keeps beside them
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('workers/forks')) out.push(Number(entry));
      } catch {
        // the process ended while we looked
      }
    }
    return out;
  } catch {
    return undefined;
  }
}

/**
 * Waits for the suites, or for the watchdog to stop them. Returns the reason when the watchdog stopped the run, or
 * when vitest failed: its run (or its close) rejecting — a pool whose worker died under it (ERR_IPC_CHANNEL_CLOSED) —
 * is a reason the run ended, never an exception that would leave the run without a report.
 */
export async function suitesWithin(running: Promise<Vitest>, watchdog: RunWatchdog): Promise<StopReason | undefined> {
  const outcome = await Promise.race([
    running.then(
      (vitest) => ({ vitest }),
      (error: unknown) => ({ reason: vitestError('vitest failed', error) }),
    ),
    watchdog.stopped.then((reason) => ({ reason })),
  ]);
  if ('vitest' in outcome) {
    const closed = await Promise.race([
      outcome.vitest.close().then(
        () => undefined,
        (error: unknown) => ({ ...vitestError('vitest could not close', error), closing: true as const }),
      ),
      watchdog.stopped.then(() => undefined),
    ]);
    watchdog.dispose();
    return watchdog.reason ?? closed;
  }
  watchdog.dispose();
  // closed in the background: the report does not wait for a worker that may never let vitest finish
  void running.then((vitest) => vitest.close()).catch(() => undefined);
  return outcome.reason;
}

/** "vitest could not close: ERR_IPC_CHANNEL_CLOSED Channel closed" */
function vitestError(what: string, error: unknown): StopReason & { kind: 'vitest-error' } {
  const e = error as { code?: string; message?: string } | undefined;
  return {
    kind: 'vitest-error',
    message: `${what}: ${[e?.code, e?.message ?? String(error)].filter(Boolean).join(' ')}`,
  };
}
