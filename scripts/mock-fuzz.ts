// The large seeded fuzz of the HTTP mock (npm test runs 3,000 of the same cases): every provider's mock on loopback,
// N random requests (default 20,000) over 32 connections; prints the unrequested 5xx answers, the hangs and the time.
// Exit 1 when any 5xx no scenario asked for came back, or any request hung.
// Run: node --import tsx scripts/mock-fuzz.ts [requests] [seed]
import { VirtualClock } from '../src/core/clock.ts';
import { startMocks, stopMocks } from '../src/mock/start-mocks.ts';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import { FUZZ_SEED, runFuzz } from '../test/support/mock-fuzz.ts';

const requests = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? FUZZ_SEED);
const specs = await loadAllSpecs();
const mocks = await startMocks(specs, {
  clock: new VirtualClock(Date.now()),
  validKeys: ['k'],
  requestLogLimit: 1000,
  maxTasks: 2000,
});
const { unexpected, hangs, sent, ms } = await runFuzz(mocks, specs, requests, seed);
await stopMocks(mocks);
for (const line of unexpected.slice(0, 20)) console.log(line);
console.log(
  `fuzz: ${requests} requests, seed ${seed} (${sent} reached the mock) in ${(ms / 1000).toFixed(1)} s: ` +
    `${unexpected.length} unrequested 5xx, ${hangs} hangs`,
);
process.exitCode = unexpected.length || hangs ? 1 : 0;
