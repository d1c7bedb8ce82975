import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import type { CheckResult } from '../checks/types.ts';
import { PROGRESS_ANNOTATION } from '../worker/run-config.ts';

/** The live line on a terminal: which check runs, what its probe is doing, elapsed against the run's timeout. */
export interface LiveStatus {
  /** rewrite the one status line (the CLI draws it on stderr when stderr is a TTY) */
  show(line: string): void;
  clear(): void;
  /** the run's timeout in seconds, shown beside the elapsed time */
  timeoutSeconds: number;
}

/**
 * A vitest reporter that only listens: it gathers the CheckResult each suite test attached to its meta, and
 * everything that went wrong outside a check (a suite that could not load, a worker that died, an unhandled
 * error). The runner compares what came back with what it planned; it never trusts silence.
 */
export class ResultCollector implements Reporter {
  readonly results: CheckResult[] = [];
  /** harness problems: load errors, crashed tests, unhandled errors, a run that ended early */
  readonly problems: string[] = [];

  private readonly running = new Map<string, { started: number; note?: string }>();
  /** the suite files vitest was given (after sharding): a shard's plan is their families */
  readonly modules: string[] = [];

  // (onTestRunStart lists every file before sharding; a module that is queued is one this shard runs)
  onTestModuleQueued(testModule: TestModule): void {
    this.modules.push(testModule.moduleId);
  }
  private readonly runStarted = Date.now();

  /**
   * @param progress called with one line per finished check (the CLI writes it to stderr)
   * @param live where a terminal is watching: the checks running now and what their probes are doing
   */
  constructor(
    private readonly progress?: (line: string) => void,
    private readonly live?: LiveStatus,
  ) {}

  onTestCaseReady(testCase: TestCase): void {
    if (!this.live) return;
    this.running.set(testCase.id, { started: Date.now() });
    this.draw(testCase);
  }

  onTestCaseAnnotate(testCase: TestCase, annotation: { type: string; message: string }): void {
    if (!this.live || annotation.type !== PROGRESS_ANNOTATION) return;
    const entry = this.running.get(testCase.id) ?? { started: Date.now() };
    entry.note = annotation.message;
    this.running.set(testCase.id, entry);
    this.draw(testCase);
  }

  private draw(testCase: TestCase): void {
    const entry = this.running.get(testCase.id);
    const where = `${testCase.parent.type === 'suite' ? testCase.parent.name : ''} ${testCase.name}`.trim();
    const elapsed = Math.round((Date.now() - this.runStarted) / 1000);
    this.live!.show(
      `${this.results.length} done · ${where}${entry?.note ? `: ${entry.note}` : ''} ` +
        `· ${Math.round((Date.now() - (entry?.started ?? Date.now())) / 1000)} s in this ` +
        `check · ${elapsed} s / ${this.live!.timeoutSeconds} s`,
    );
  }

  onTestCaseResult(testCase: TestCase): void {
    this.running.delete(testCase.id);
    this.live?.clear();
    const meta = testCase.meta();
    if (meta.checkResult)
      this.progress?.(
        `${meta.checkResult.status.padEnd(5)} ${meta.checkResult.provider} ` +
          `${meta.checkResult.id} (${meta.checkResult.durationMs} ms)`,
      );
    if (meta.checkResult) this.results.push(meta.checkResult);
    if (meta.checkResults) this.results.push(...meta.checkResults);
    const result = testCase.result();
    if (!meta.checkResult && !meta.checkResults && result.state === 'failed') {
      this.problems.push(`${testCase.fullName}: ${result.errors?.map((e) => e.message).join('; ') ?? 'failed'}`);
    }
  }

  onTestModuleEnd(testModule: TestModule): void {
    // a suite file with none of the run's families declares no test: that is the filter, not a failure (a planned
    // check that did not come back is still caught by the runner's comparison with its plan)
    for (const e of testModule.errors().filter((x) => !/No test suite found/.test(String(x.message))))
      this.problems.push(`${testModule.moduleId.split('/').slice(-2).join('/')} could not load: ${firstLine(e)}`);
  }

  onTestRunEnd(
    _modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: string,
  ): void {
    for (const e of unhandledErrors) this.problems.push(`unhandled error: ${firstLine(e)}`);
    if (reason === 'interrupted') this.problems.push('the test run was interrupted');
  }
}

const firstLine = (e: SerializedError) => String(e.message ?? e.name ?? 'unknown error').split('\n')[0]!;
