import { defineConfig } from 'vitest/config';

// The harness's own tests, as two vitest projects: `unit` (src/**/*.test.ts, beside the code: seconds) and `e2e`
// (test/**/*.test.ts: the CLI as users type it, real processes and sockets: minutes). `npm test` runs both;
// `npm run test:unit` is the fast loop. The conformance suites in suites/ are not run here: `kling-conformance run`
// drives them (suites/vitest.config.ts). Both projects read the shipped specs plus a gateway unlike every shipped
// one (test/support/specs-under-test.ts), so the spec-driven tests cover it too.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // most tests wait on child processes, sockets and npm installs, not on the CPU: three files at once on a 2-core
    // CI machine (vitest's default there is one; at two, a fresh clone's CPU sat a quarter idle)
    maxWorkers: 3,
    // a worker runs its files one after another with one module cache: importing the sources afresh for each file
    // was most of the unit project's CPU (58 files at one worker: 64 s with a module graph per file, 32 s with one)
    // and a large share of the e2e files' (ten in-process ones: 36 s → 25 s). A test restores what it changes
    // (process.env, cwd, timers); temp folders are removed per file by the setup file below.
    isolate: false,
    setupFiles: ['test/support/remove-temp-folders.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          globalSetup: ['test/support/temp-root.ts', 'test/support/specs-under-test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/support/temp-root.ts', 'test/support/specs-under-test.ts', 'test/support/build-dist.ts'],
        },
      },
    ],
  },
});
