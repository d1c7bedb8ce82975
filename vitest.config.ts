import { defineConfig } from 'vitest/config';

// The harness's own tests: unit tests beside the code (src/**/*.test.ts) and end-to-end tests of the CLI.
// The conformance suites in suites/ are not run here: `kling-conformance run` drives them (suites/vitest.config.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // most tests wait on child processes and sockets, not the CPU: two files at once on a 2-core CI machine
    // (vitest's default there is one), measured in the README
    maxWorkers: 2,
  },
});
