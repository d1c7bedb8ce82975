// The report headers say what a run was, from its subject: a conformance run's target and seed, a recording's files,
// exchanges and clients (verify-client), a proxy's upstream — in summary.md, junit.xml and report.html alike.
import { describe, expect, it } from 'vitest';
import { buildResults, type RunResults } from './build-results.ts';
import { runDashboard } from './run-dashboard.ts';
import { historyStats } from './history-stats.ts';
import { renderJunit } from './junit-xml.ts';
import { renderSummary } from './summary-markdown.ts';

function run(more: Partial<RunResults['run']>): RunResults {
  return buildResults(
    {
      id: 'r1',
      target: 'live',
      providers: [{ id: 'p1', baseUrl: 'https://gw.test' }],
      startedAt: '2026-12-04T04:00:00.000Z',
      endedAt: '2026-12-04T04:00:01.000Z',
      allowPaid: false,
      client: 'reference',
      ...more,
    },
    [],
    '0.0.0',
  );
}

/** The three headers of a run: summary.md's first lines, junit.xml's testsuites name, report.html's title and facts. */
function headers(r: RunResults) {
  const dashboard = runDashboard(r, historyStats([], Date.parse(r.run.endedAt)));
  return {
    summary: renderSummary(r).split('\n').slice(0, 5).join('\n'),
    junit: /<testsuites name="([^"]*)"/.exec(renderJunit(r))?.[1],
    html: [dashboard.title, ...dashboard.facts].join('\n'),
  };
}

describe('report headers name the kind of run', () => {
  it('a conformance run: its target and seed', () => {
    const h = headers(run({ target: 'mock', seed: 7 }));
    expect(h.summary).toContain('# kling-conformance: mock run r1');
    expect(h.summary).toContain('target mock · seed 7');
    expect(h.junit).toBe('kling-conformance mock run r1');
    expect(h.html).toContain('target mock · seed 7');
  });

  it('a run without a seed says none (never "seed undefined" or "seed 0")', () => {
    const h = headers(run({ target: 'mock' }));
    expect(h.summary).toContain('target mock · 2026-12-04T04:00:00.000Z → 2026-12-04T04:00:01.000Z');
    for (const text of [h.summary, h.html]) expect(text).not.toMatch(/seed/);
  });

  it('verify-client: the HAR files, provider, exchanges, clients and entries left out; no seed, no billing', () => {
    const h = headers(
      run({
        subject: {
          kind: 'verify-client',
          har: ['s.har'],
          exchanges: 12,
          clients: ['worker-a', 'worker-b'],
          leftOut: { entries: 3, why: '3 of 15 entries fit none of p1’s documented operations' },
        },
      }),
    );
    expect(h.summary).toContain('# kling-conformance: verify-client s.har');
    expect(h.summary).toContain('provider p1 · 12 exchanges · clients worker-a, worker-b · live traffic');
    expect(h.summary).toContain('Left out of the judging: 3 of 15 entries');
    expect(h.junit).toBe('kling-conformance verify-client s.har');
    expect(h.html).toContain('clients worker-a, worker-b');
    expect(h.html).toContain('Left out of the judging');
    for (const text of [h.summary, h.junit, h.html]) expect(text).not.toMatch(/seed|live run|Billable/);
  });

  it('proxy: the upstream, what was forwarded and what was answered locally', () => {
    const h = headers(
      run({ subject: { kind: 'proxy', upstream: 'https://gw.test', forwarded: 4, rejectedLocally: 1 } }),
    );
    expect(h.summary).toContain('# kling-conformance: proxy, upstream https://gw.test');
    expect(h.summary).toContain('provider p1 · 4 forwarded, 1 invalid answered locally');
    expect(h.junit).toBe('kling-conformance proxy, upstream https://gw.test');
    expect(h.html).toContain('proxy, upstream https://gw.test');
    for (const text of [h.summary, h.junit, h.html]) expect(text).not.toMatch(/seed|live run/);
  });
});
