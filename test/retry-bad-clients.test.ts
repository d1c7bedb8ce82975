// The retry checks fail the clients that get retry wrong, on every provider whose documents cover the behaviour;
// where only our reading covers it they warn (and fail under --strict).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/engine.ts';
import { checksFor } from '../src/checks/registry.ts';
import type { ClientAdapter } from '../src/client/client-adapter.ts';
import { literalAdviceAdapter, referenceAdapter } from '../src/client/client-adapter.ts';
import { dedupeKey } from '../src/spec/dedupe-key.ts';
import { isInferred } from '../src/spec/claims.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';
import { createCheckContext } from '../src/worker/create-context.ts';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { adapter as constantAdapter } from '../fixtures/adapters/constant-wait-adapter.ts';
import { adapter as endlessAdapter } from '../fixtures/adapters/endless-retry-adapter.ts';
import { adapter as naiveAdapter } from '../fixtures/adapters/naive-retry-adapter.ts';

let specs: ProviderSpec[];
let mocks: RunningMock[];
beforeAll(async () => {
  specs = (await loadAllSpecs()).filter((s) => s.x.availability.state === 'available');
  mocks = await startMocks(specs, {
    clock: new VirtualClock(Date.now()),
    validKeys: ['k'],
    credentials: [{ accessKey: 'k', secretKey: 'k-secret' }],
  });
});
afterAll(async () => stopMocks(mocks));

async function judge(spec: ProviderSpec, id: string, adapter: ClientAdapter, strict = false) {
  const mock = mocks.find((m) => m.provider === spec.id)!;
  return runCheck(
    checksFor(spec).find((c) => c.id === id)!,
    createCheckContext(spec, {
      target: 'mock',
      baseUrl: mock.url,
      apiKey: 'k',
      secretKey: 'k-secret',
      adapter,
      strict,
    }),
  );
}
// documented: the advice's source is the provider's own document (not our reading, not another product's page)
const documented = (spec: ProviderSpec, status: number) => !isInferred(spec.x, spec.x.retry[String(status)]!.source);
/** the providers whose documents advise retrying this status; the check does not apply to the others */
const advising = (status: number) => {
  const out = specs.filter((s) => s.x.retry[String(status)]?.retry);
  expect(out.length, `some provider advises retrying ${status}`).toBeGreaterThan(0);
  return out;
};
async function expectSkippedElsewhere(id: string, status: number) {
  for (const spec of specs.filter((s) => !s.x.retry[String(status)]?.retry))
    expect((await judge(spec, id, referenceAdapter)).status, spec.id).toBe('skip');
}

describe('the reference client', () => {
  it('counts attempts per status: a mixed 429/500 sequence gets each kind its own schedule and limit', async () => {
    const spec = specs.find((s) => s.id === 'evolink-kling-v3-t2v')!;
    const mock = mocks.find((m) => m.provider === spec.id)!;
    const clock = new VirtualClock(0, { autoAdvance: true });
    // the client that retries a create after a 500 (no key deduplicates it here: a pre-commit 500 is safe)
    const r = await literalAdviceAdapter.create(
      {
        spec,
        baseUrl: mock.url,
        apiKey: 'k',
        body: spec.create.examples[0]!.value,
        headers: { 'x-mock-scenario': '429,500,429,ok', 'x-mock-scenario-id': 'mixed' },
      },
      { sleep: (ms) => clock.sleep(ms), now: () => clock.now(), random: () => 0 },
    );
    expect(r.status).toBe(200);
    // 429 #1, 500 #1, 429 #2 — not the third step of one shared counter (4 s)
    expect(clock.sleeps).toEqual([
      spec.x.retry['429']!.delaysMs![0],
      spec.x.retry['500']!.delaysMs![0],
      spec.x.retry['429']!.delaysMs![1],
    ]);
  });
});

describe('three bad clients', () => {
  it.each([
    ['constant 1 s waits', 'retry.429.backoff', 429, () => constantAdapter],
    ['endless zero-delay 500 retries', 'retry.500.limit', 500, () => endlessAdapter],
  ] as const)(
    '%s fail %s wherever the documents cover it (warn elsewhere, fail under --strict); the reference client passes',
    async (_name, id, status, bad) => {
      for (const spec of advising(status)) {
        const r = await judge(spec, id, bad());
        expect(r.status, `${spec.id}: ${r.message}`).toBe(documented(spec, status) ? 'fail' : 'warn');
        expect((await judge(spec, id, bad(), true)).status).toBe('fail');
        expect((await judge(spec, id, referenceAdapter)).status, spec.id).toBe('pass');
      }
      await expectSkippedElsewhere(id, status);
    },
  );

  it(
    'a blind create retry without an idempotency key fails retry.500.no_duplicate ' +
      'on every provider that advises retrying a 500',
    async () => {
      await expectSkippedElsewhere('retry.500.no_duplicate', 500);
      for (const spec of advising(500)) {
        const r = await judge(spec, 'retry.500.no_duplicate', naiveAdapter);
        expect(r.status, `${spec.id}: ${r.message}`).toBe('fail');
        expect((await judge(spec, 'retry.500.no_duplicate', referenceAdapter)).status, spec.id).toBe('pass');
      }
    },
  );

  it('an HTTP-date Retry-After read against the wall clock instead of the injected clock fails', async () => {
    const wallClock: ClientAdapter = {
      name: 'wall-clock',
      create: (input, env) => referenceAdapter.create(input, { ...env, now: () => Date.now() }),
    };
    for (const spec of specs.filter((s) => s.x.retry['429']?.retryAfter)) {
      const r = await judge(spec, 'retry.429.retry_after', wallClock, true);
      expect(r.status, spec.id).toBe('fail');
      expect(r.message).toContain('HTTP-date');
    }
  });

  it(
    'following the documented 500 advice literally double-bills where no ' +
      'idempotency key is documented: a finding about the documents',
    async () => {
      await expectSkippedElsewhere('retry.500.advice', 500);
      for (const spec of advising(500)) {
        const r = await judge(spec, 'retry.500.advice', referenceAdapter);
        expect(r.status, spec.id).toBe(dedupeKey(spec) ? 'pass' : 'warn');
        if (!dedupeKey(spec)) expect(r.findings).toMatchObject([{ kind: 'document', observed: 2 }]);
      }
    },
  );
});
