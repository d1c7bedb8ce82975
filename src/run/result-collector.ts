import type { Reporter, TestCase } from 'vitest/node';
import type { CheckResult } from '../checks/types.ts';
import './run-config.ts';

/** A vitest reporter that only listens: it gathers the CheckResult each suite test attached to its meta. */
export class ResultCollector implements Reporter {
  readonly results: CheckResult[] = [];
  readonly crashed: { test: string; error: string }[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta();
    if (meta.checkResult) this.results.push(meta.checkResult);
    if (meta.checkResults) this.results.push(...meta.checkResults);
    const result = testCase.result();
    if (!meta.checkResult && !meta.checkResults && result.state === 'failed') {
      this.crashed.push({ test: testCase.fullName, error: result.errors?.map((e) => e.message).join('; ') ?? 'failed' });
    }
  }
}
