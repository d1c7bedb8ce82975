// "A test must be able to fail", share 1 of 2 of the families in the registry (split so two workers share the work;
// the proof itself is in test/support/prove-checks.ts, each check's breakers beside it) — and documents that disagree.
import { describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/engine.ts';
import { checksFor } from '../src/checks/registry.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { createCheckContext } from '../src/worker/create-context.ts';
import { exampleBody } from '../src/checks/probes/request-bodies.ts';
import { startDeviatingMock, withBody } from './support/deviating-mock.ts';
import { closers, KEY, MOCK_AUTH, proofShare, proveChecksCanFail, specs } from './support/prove-checks.ts';

proveChecksCanFail(proofShare(1, 2), [
  'defaults.duration',
  'reject.first_frame',
  'reject.prompt_missing',
  'reject.callback.same-origin',
  'reject.callback.webhook-not-configured',
  'auth.invalid_key',
  'shape.error.402',
  'shape.error.422',
  'shape.error.500',
]);

describe('documents that disagree: a gateway that follows another documented claim does not fail', () => {
  it('ToAPIs enforcing its table (duration 6|10 only) passes every boundary rule, ' +
    'with the claim it follows', async () => {
    const { alternativeSpecs } = await import('../src/spec/alternative-specs.ts');
    const spec = specs.find((s) => s.id === 'toapis-kling-3.0-turbo')!;
    const table = alternativeSpecs(spec).find(
      (a) => a.alternative === 'range.duration' && Array.isArray(a.claim.value.enum),
    )!;
    const { startMocks } = await import('../src/mock/start-mocks.ts');
    const [mock] = await startMocks([table.spec], { clock: new VirtualClock(Date.now()), ...MOCK_AUTH });
    closers.push(() => mock!.server.close());
    const ctx = createCheckContext(spec, { target: 'mock', baseUrl: mock!.url, apiKey: KEY });
    const results = await Promise.all(
      checksFor(spec)
        .filter((c) => c.family === 'boundary')
        .map((c) => runCheck(c, ctx)),
    );
    expect(results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    const followed = results.flatMap((r) => r.findings ?? []).filter((f) => f.kind === 'claim-followed');
    expect(followed.length).toBeGreaterThan(0);
    expect(followed[0]!.matches!.join()).toContain('range.duration');
    // and a value no claim allows still fails: the same gateway accepting duration 16 is caught
    const lax = await startDeviatingMock(
      spec,
      { clock: new VirtualClock(Date.now()), ...MOCK_AUTH },
      {
        request: (req, x) =>
          x.operation === 'create' ? withBody(req, (b) => (b.duration === 16 ? exampleBody(spec) : b)) : req,
      },
    );
    closers.push(lax.close);
    const r = await runCheck(
      checksFor(spec).find((c) => c.id === 'boundary.maximum+1')!,
      createCheckContext(spec, { target: 'mock', baseUrl: lax.url, apiKey: KEY }),
    );
    expect(r.status).toBe('fail');
  }, 60_000);
});
