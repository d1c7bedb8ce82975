// Transient or contract? A 429, a 5xx, a timeout or a reset on a check that is not about them is retried as the
// provider's documents advise; a clean retry passes (counted as a flake), a persistent one is `error: transient`.
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/engine.ts';
import { checksFor } from '../src/checks/registry.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { createCheckContext } from '../src/worker/create-context.ts';
import { toHistoryLine } from '../src/report/history-line.ts';
import { historyStats } from '../src/report/history-stats.ts';
import { buildResults } from '../src/report/build-results.ts';
import { startDeviatingMock } from './support/deviating-mock.ts';

const closers: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(closers.map((c) => c())));

/** a gateway whose first `n` creates answer 503 (capacity), then behaves */
async function overloadedFor(n: number) {
  const spec = await loadSpecById('evolink-kling-v3-t2v');
  let creates = 0;
  const gateway = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), validKeys: ['k'] },
    {
      request: (req, x) =>
        x.operation === 'create' && ++creates <= n
          ? new Response(JSON.stringify({ error: { code: 'service_error', message: 'overloaded' } }), {
              status: 503,
              headers: { 'content-type': 'application/json' },
            })
          : req,
    },
  );
  closers.push(gateway.close);
  const waits: number[] = [];
  const ctx = {
    ...createCheckContext(spec, { target: 'mock', baseUrl: gateway.url, apiKey: 'k' }),
    sleep: async (ms: number) => void waits.push(ms),
  };
  return { spec, ctx, waits, creates: () => creates };
}

describe('transient answers', () => {
  it(
    'a 503 on the first try of a contract check is retried on the documented ' +
      'schedule and passes: a flake, not a finding',
    async () => {
      const { spec, ctx, waits } = await overloadedFor(1);
      const r = await runCheck(checksFor(spec).find((c) => c.id === 'defaults.duration')!, ctx);
      expect(r.status, r.message).toBe('pass');
      expect(r.transient).toMatchObject({ attempts: 2 });
      expect(r.transient!.evidence[0]).toContain('503');
      // EvoLink documents no 503 advice; its 500 advice (1 s, then 2 s) covers 5xx
      expect(waits).toEqual([1000]);
    },
  );

  it(
    'a gateway that stays overloaded leaves the check unjudged (error: transient), ' + 'never failed or passed',
    async () => {
      const { spec, ctx, waits } = await overloadedFor(100);
      const r = await runCheck(checksFor(spec).find((c) => c.id === 'reject.enum.aspect_ratio')!, ctx);
      expect(r.status).toBe('error');
      expect(r.message).toMatch(/^transient: POST .* → 503/);
      expect(r.findings![0]).toMatchObject({ kind: 'transient' });
      expect(waits).toEqual([1000, 2000]);
    },
  );

  it('a check about 5xx behaviour is judged on it, never excused by it', async () => {
    const { spec, ctx } = await overloadedFor(100);
    const r = await runCheck(checksFor(spec).find((c) => c.id === 'retry.500.retries')!, ctx);
    expect(r.transient).toBeUndefined();
  });

  it('history counts flakes and unjudged runs apart from contract changes', async () => {
    const results = (status: 'pass' | 'error' | 'fail', transient?: boolean) =>
      buildResults(
        {
          id: `r-${status}-${Math.random()}`,
          target: 'live',
          providers: [{ id: 'p', baseUrl: 'x' }],
          seed: 1,
          startedAt: new Date().toISOString(),
          endedAt: new Date().toISOString(),
          allowPaid: true,
          client: 'reference',
        },
        [
          {
            id: 'c',
            provider: 'p',
            title: 't',
            family: 'defaults',
            paid: true,
            durationMs: 1,
            status,
            message: '',
            ...(transient ? { transient: { attempts: 2, evidence: ['POST x → 503'] } } : {}),
          },
        ],
        '0',
      );
    const lines = [results('pass'), results('pass', true), results('error', true), results('pass')].map((r) =>
      toHistoryLine(r, 'dir'),
    );
    const trend = historyStats(lines, Date.now()).checks[0]!;
    expect(trend.transient).toEqual({ flakes: 1, unjudged: 1 });
    // pass, pass (flake), [unjudged], pass: no contract change, so no flake rate
    expect(trend.flakeRate).toBe(0);
    expect(trend.current).toBe('pass');
  });
});
