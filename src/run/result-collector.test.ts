import { describe, expect, it } from 'vitest';
import { ResultCollector } from './result-collector.ts';
import { PROGRESS_ANNOTATION } from '../worker/run-config.ts';

/** The parts of vitest's TestCase the collector reads. */
const testCase = (id: string, provider: string, check: string, checkResult?: object) =>
  ({
    id,
    name: check,
    parent: { type: 'suite', name: provider },
    meta: () => ({ checkResult }),
    result: () => ({ state: 'passed' }),
  }) as never;

describe('progress', () => {
  it('on a terminal: the running check, its probe’s last step, elapsed / timeout; cleared at the end', () => {
    const shown: string[] = [];
    const finished: string[] = [];
    let cleared = 0;
    const c = new ResultCollector((l) => finished.push(l), {
      show: (l) => shown.push(l),
      clear: () => void cleared++,
      timeoutSeconds: 900,
    });
    c.onTestCaseReady(testCase('1', 'evolink-kling-v3-t2v', 'defaults.duration'));
    c.onTestCaseAnnotate(testCase('1', 'evolink-kling-v3-t2v', 'defaults.duration'), {
      type: PROGRESS_ANNOTATION,
      message: 'poll processing',
    });
    c.onTestCaseAnnotate(testCase('1', 'evolink-kling-v3-t2v', 'defaults.duration'), {
      type: 'other',
      message: 'not ours',
    });
    expect(shown.at(-1)).toMatch(
      /^0 done · evolink-kling-v3-t2v defaults\.duration: poll processing · \d+ s in this check · \d+ s \/ 900 s$/,
    );
    expect(shown).toHaveLength(2);
    c.onTestCaseResult(
      testCase('1', 'evolink-kling-v3-t2v', 'defaults.duration', {
        status: 'pass',
        provider: 'evolink-kling-v3-t2v',
        id: 'defaults.duration',
        durationMs: 5,
      }),
    );
    expect(cleared).toBe(1);
    expect(finished).toEqual(['pass  evolink-kling-v3-t2v defaults.duration (5 ms)']);
  });

  it('off a terminal: only one line per finished check, nothing drawn', () => {
    const finished: string[] = [];
    const c = new ResultCollector((l) => finished.push(l));
    c.onTestCaseReady(testCase('1', 'p', 'c'));
    c.onTestCaseAnnotate(testCase('1', 'p', 'c'), { type: PROGRESS_ANNOTATION, message: 'poll queued' });
    c.onTestCaseResult(testCase('1', 'p', 'c', { status: 'fail', provider: 'p', id: 'c', durationMs: 1 }));
    expect(finished).toEqual(['fail  p c (1 ms)']);
  });
});
