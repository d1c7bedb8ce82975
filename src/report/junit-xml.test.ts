import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../checks/types.ts';
import { buildResults } from './build-results.ts';
import { renderJunit } from './junit-xml.ts';

const check = (id: string, status: CheckResult['status'], message: string): CheckResult => ({
  id,
  provider: 'evolink-kling-v3-t2v',
  title: id,
  family: 'defaults',
  paid: false,
  durationMs: 12,
  status,
  message,
});

const results = buildResults(
  {
    id: 'r1',
    target: 'mock',
    providers: [{ id: 'evolink-kling-v3-t2v', baseUrl: 'http://127.0.0.1:1' }],
    seed: 1,
    startedAt: '2026-12-03T13:17:49.047Z',
    endedAt: '2026-12-03T13:17:52.714Z',
    allowPaid: true,
    client: 'reference',
    strict: false,
  },
  [check('a.pass', 'pass', 'ok'), check('b.warn', 'warn', 'the default differs from our reading')],
  '0.0.0',
);

describe('junit.xml', () => {
  it("gives each testsuite the run's start as timestamp and this machine's hostname", () => {
    const xml = renderJunit(results);
    expect(xml).toContain(`timestamp="2026-12-03T13:17:49" hostname="${hostname()}"`);
  });

  it('shows a warning as a property and as output, not as a plain pass', () => {
    const xml = renderJunit(results);
    const warn = /<testcase[^>]*name="b\.warn"[\s\S]*?<\/testcase>/.exec(xml)![0];
    expect(warn).toContain('<property name="kling-conformance.status" value="warn"/>');
    expect(warn).toContain('<system-out>warn: the default differs from our reading</system-out>');
    expect(xml).toMatch(/<testcase[^>]*name="a\.pass"[^>]*\/>/);
  });
});
