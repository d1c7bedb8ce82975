// Seeded fuzz of the HTTP mock: a few thousand requests with random methods, paths, headers and bodies (valid,
// mutated, deep, not UTF-8, not JSON, too large). The mock must answer every one (no hang), never with a 5xx that no
// scenario asked for, and still serve a valid create at the end (no crash). The large run (20,000 and more) is
// scripts/mock-fuzz.ts, its figure in the README.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { FUZZ_SEED, runFuzz } from './support/mock-fuzz.ts';

const REQUESTS = 3_000;
let specs: ProviderSpec[];
let mocks: RunningMock[];
beforeAll(async () => {
  specs = await loadAllSpecs();
  mocks = await startMocks(specs, {
    clock: new VirtualClock(Date.now()),
    validKeys: ['k'],
    requestLogLimit: 1000,
    maxTasks: 2000,
  });
});
afterAll(async () => stopMocks(mocks));

describe('fuzzing the HTTP mock', () => {
  it(`answers ${REQUESTS} seeded random requests with no unrequested 5xx, no hang and no crash`, async () => {
    const { unexpected, hangs, sent, ms } = await runFuzz(mocks, specs, REQUESTS);
    console.log(`fuzz: ${REQUESTS} requests (${sent} reached the mock) in ${ms} ms, seed ${FUZZ_SEED}`);
    expect(unexpected.slice(0, 10)).toEqual([]);
    expect(hangs).toBe(0);
    expect(sent).toBeGreaterThan(REQUESTS * 0.9);
    // still alive and correct
    const spec = specs.find((s) => s.id === 'toapis-kling-3.0-turbo')!;
    const mock = mocks.find((m) => m.provider === spec.id)!;
    const ok = await request(`${mock.url}${spec.create.path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify(spec.create.examples[0]!.value),
    });
    expect(ok.statusCode).toBe(200);
    await ok.body.dump();
  }, 120_000);
});
