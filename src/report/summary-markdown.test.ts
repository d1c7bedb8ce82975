// summary.md's parts, each from a small run: the header and spend, failures with their evidence once, warnings,
// boundary cases, skips grouped by reason and paid checks skipped with their price — and their order in the page.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../checks/types.ts';
import { buildResults, type RunResults } from './build-results.ts';
import {
  boundaryLines,
  failureLines,
  headerLines,
  paidSkippedLines,
  planLines,
  renderSummary,
  skippedLines,
  spendLine,
  warningLines,
} from './summary-markdown.ts';

const check = (id: string, status: CheckResult['status'], message: string, more: Partial<CheckResult> = {}) =>
  ({
    id,
    provider: 'p1',
    title: id,
    family: id.split('.')[0]!,
    paid: false,
    durationMs: 1,
    status,
    message,
    ...more,
  }) as CheckResult;

function run(results: CheckResult[], more: Partial<RunResults['run']> = {}): RunResults {
  return buildResults(
    {
      id: 'r1',
      target: 'mock',
      providers: [{ id: 'p1', baseUrl: 'http://127.0.0.1:1' }],
      seed: 1,
      startedAt: '2026-12-03T13:00:00.000Z',
      endedAt: '2026-12-03T13:00:09.000Z',
      allowPaid: true,
      client: 'reference',
      ...more,
    },
    results,
    '0.0.0',
  );
}

describe('summary.md, part by part', () => {
  it('header: the counts and target; an incomplete run says so; a live run counts its billable tasks', () => {
    const r = run([check('auth.a', 'pass', 'ok'), check('auth.b', 'fail', 'no')]);
    expect(headerLines(r).join('\n')).toMatch(/1 passed, 1 failed.*target mock \(built-in mock at .*\) · seed 1/);
    // one provider is one provider (not "1 providers")
    expect(renderSummary(r)).toContain('<summary>Every check (2 checks × 1 provider)</summary>');
    const incomplete = run([], { incomplete: { missing: 2, problems: ['a worker died'] } });
    expect(headerLines(incomplete).join('\n')).toContain('**Incomplete run (harness error, exit 2):** 2 planned');
    expect(headerLines(run([], { target: 'live' })).join('\n')).toContain('Billable tasks this run created: 0.');
  });

  it('spend and plan: documented money, tasks, mistakes, budget left; the paid picks and what waits', () => {
    const spend = { documented: { USD: 0.75 }, tasks: 2, mistakenTasks: 1, cancelled: 1 };
    expect(spendLine({ ...spend, budget: { amount: 1, currency: 'USD', left: 0.25 } })).toBe(
      '**Spend this run (documented prices): 0.75 USD** · billable tasks: 2 (1 from requests the documents forbid, ' +
        '1 cancelled) · budget left: 0.25 USD of 1',
    );
    expect(spendLine({ ...spend, month: { amount: 3, currency: 'USD', spentBefore: 1.25, left: 1 } })).toContain(
      ' · monthly cap (--budget-month, shared by every provider and run in the history): 1 USD left of 3 ' +
        '(1.25 spent this month before this run)',
    );
    const plan = [
      { provider: 'p1', night: 3, picked: ['default-task'], skippedForBudget: [{ id: 'x', reason: 'due' }] },
    ];
    expect(planLines(plan)).toEqual([
      'Paid plan for p1, night 3: picked default-task; 1 paid checks skipped for budget:',
      '- `x`: due',
      '',
    ]);
    expect(planLines(undefined)).toEqual([]);
  });

  it('failures: expected, observed, source and each finding that says more than the message, once', () => {
    const failed = check('reject.a', 'fail', 'answered 200', {
      expected: 400,
      observed: 200,
      source: 'the guide',
      findings: [
        { kind: 'accepted-invalid', message: 'answered 200' },
        { kind: 'status', message: 'another status', pointer: '/x', inferred: true },
      ],
      curl: 'curl -X POST',
    });
    const lines = failureLines(run([failed, check('reject.b', 'pass', 'ok')]));
    expect(lines.slice(0, 5)).toEqual(['', '## Failures', '', '### p1 · reject.a (fail)', '']);
    expect(lines).toContain('- finding (status at /x, inferred): another status');
    expect(lines.filter((l) => l.includes('answered 200'))).toEqual(['answered 200']);
    expect(lines).toContain('curl -X POST');
    expect(failureLines(run([check('reject.b', 'pass', 'ok')]))).toEqual([]);
  });

  it('warnings and observations: one line each, with the warnings of a passing check', () => {
    const lines = warningLines(
      run([check('a.w', 'warn', 'our reading'), check('a.p', 'pass', 'ok', { warnings: ['partly inferred'] })]),
    );
    expect(lines).toEqual([
      '',
      '## Warnings and observations',
      '',
      '- p1 · a.p (pass): partly inferred',
      '- p1 · a.w (warn): our reading',
    ]);
  });

  it('skips: one line per reason, long lists shortened; paid checks skipped name the documented price', () => {
    const skips = Array.from({ length: 8 }, (_, i) => check(`retry.${i}`, 'skip', 'mock only'));
    expect(skippedLines(run(skips))).toEqual([
      '',
      '## Skipped (8)',
      '',
      '- mock only: p1 retry.0, p1 retry.1, p1 retry.2, p1 retry.3, p1 retry.4, p1 retry.5 and 2 more',
    ]);
    const price = { amount: 0.375, currency: 'USD', explanation: '' } as CheckResult['price'];
    const paid = check('defaults.d', 'skip', 'creates a billable task (0.375 USD)', { paid: true, price });
    expect(paidSkippedLines(run([paid]))).toEqual([
      '',
      '## Paid checks skipped (pass --allow-paid)',
      '',
      '- p1: one default task, documented price 0.375 USD',
    ]);
  });

  it('boundary cases per provider and rule; and the page puts failures before every check', () => {
    const boundary = check('boundary.enum', 'fail', '1 of 2 failed', {
      observed: { cases: 2, failed: 1, failures: [] },
    });
    const r = run([boundary]);
    expect(boundaryLines(r).join('\n')).toContain('## Boundary cases');
    const page = renderSummary(r);
    expect(page.indexOf('## Failures')).toBeLessThan(page.indexOf('<details>'));
    expect(page.endsWith('\n')).toBe(true);
  });
});
