import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import type { CheckResult } from '../checks/types.ts';
import './run-config.ts';

/**
 * A vitest reporter that only listens: it gathers the CheckResult each suite test attached to its meta, and
 * everything that went wrong outside a check (a suite that could not load, a worker that died, an unhandled
 * error). The runner compares what came back with what it planned; it never trusts silence.
 */
export class ResultCollector implements Reporter {
  readonly results: CheckResult[] = [];
  /** harness problems: load errors, crashed tests, unhandled errors, a run that ended early */
  readonly problems: string[] = [];

  /** @param progress called with one line per finished check (the CLI writes it to stderr) */
  constructor(private readonly progress?: (line: string) => void) {}

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta();
    if (meta.checkResult) this.progress?.(`${meta.checkResult.status.padEnd(5)} ${meta.checkResult.provider} ${meta.checkResult.id} (${meta.checkResult.durationMs} ms)`);
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
    for (const e of testModule.errors().filter((x) => !/No test suite found/.test(String(x.message)))) this.problems.push(`${testModule.moduleId.split('/').slice(-2).join('/')} could not load: ${firstLine(e)}`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: string): void {
    for (const e of unhandledErrors) this.problems.push(`unhandled error: ${firstLine(e)}`);
    if (reason === 'interrupted') this.problems.push('the test run was interrupted');
  }
}

const firstLine = (e: SerializedError) => String(e.message ?? e.name ?? 'unknown error').split('\n')[0]!;
