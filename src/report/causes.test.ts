import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../checks/types.ts';
import { buildResults } from './build-results.ts';
import { causeLines, findCauses } from './causes.ts';
import { renderDashboardHtml } from './dashboard-html.ts';
import { runDashboard } from './run-dashboard.ts';
import { historyStats } from './history-stats.ts';
import { renderSummary } from './summary-markdown.ts';

const answered = (id: string, status: CheckResult['status'], got: number, expected = 400): CheckResult => ({
  id,
  provider: 'evolink-kling-v3-t2v',
  title: id,
  family: 'reject',
  paid: false,
  durationMs: 1,
  status,
  message: `answered ${got} instead of ${expected}`,
  findings: [{ kind: 'status', message: `answered ${got} instead of ${expected}`, expected, observed: got }],
});

const run = (results: CheckResult[]) =>
  buildResults(
    {
      id: 'r1',
      target: 'live',
      providers: [{ id: 'evolink-kling-v3-t2v', baseUrl: 'https://gw.test/api' }],
      seed: 1,
      startedAt: '2026-12-03T13:00:00.000Z',
      endedAt: '2026-12-03T13:01:00.000Z',
      allowPaid: false,
      client: 'reference',
      strict: false,
    },
    results,
    '0.0.0',
  );

// a wrong base URL: every request meets the gateway's "no route" 404
const wrongBase = [
  answered('auth.invalid_key', 'warn', 404, 401),
  answered('auth.missing_key', 'warn', 404, 401),
  answered('reject.prompt_missing', 'fail', 404),
  answered('reject.duration_above_max', 'fail', 404),
  answered('shape.error.400', 'fail', 404),
  { ...answered('defaults.duration', 'pass', 200), findings: [] },
];

describe('causes', () => {
  it('names one 404 behind every finding, with the hint to check --base-url', () => {
    const causes = findCauses(wrongBase);
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({ httpStatus: 404, counts: { fail: 3, warn: 2 }, everyOne: true });
    expect(causes[0]!.checks[0]).toMatch(/reject\.duration_above_max$/);
    expect(causeLines(causes)[0]).toMatch(/^Every one of the 3 failures and 2 warnings answered 404 .*--base-url/);
  });

  it('names no cause for findings that each have their own', () => {
    expect(findCauses([answered('a', 'fail', 404), answered('b', 'fail', 200), answered('c', 'fail', 500)])).toEqual(
      [],
    );
  });

  it('summary.md: the cause first, failing rows before warning rows, each evidence message once', () => {
    const md = renderSummary(run(wrongBase));
    const cause = md.indexOf('## Likely causes');
    expect(cause).toBeGreaterThan(0);
    expect(cause).toBeLessThan(md.indexOf('| check |'));
    const table = md.slice(md.indexOf('| check |'), md.indexOf('## Failures'));
    expect(table.indexOf('reject.prompt_missing')).toBeLessThan(table.indexOf('auth.invalid_key'));
    const failure = md.slice(md.indexOf('### evolink-kling-v3-t2v · reject.prompt_missing'));
    expect(failure.slice(0, failure.indexOf('###', 4)).match(/answered 404 instead of 400/g)).toHaveLength(1);
  });

  it('report.html: the cause above the matrix, failures before warnings, curl lines that wrap', () => {
    const withCurl = wrongBase.map((r) => ({
      ...r,
      curl: `curl -sS -X POST 'https://gw.test/api/v1/x' ${'-H x '.repeat(40)}`,
    }));
    const html = renderDashboardHtml(runDashboard(run(withCurl), historyStats([], Date.now())));
    expect(html.indexOf('Likely causes')).toBeGreaterThan(0);
    expect(html.indexOf('Likely causes')).toBeLessThan(html.indexOf('Not passing'));
    expect(html).toContain('Every one of the 3 failures and 2 warnings answered 404');
    expect(html.indexOf('reject.prompt_missing (fail)')).toBeLessThan(html.indexOf('auth.invalid_key (warn)'));
    expect(html).toMatch(/pre \{[^}]*white-space: pre-wrap/);
  });
});
