import { defineConfig } from 'vitest/config';

// Conformance suites, driven by `kling-conformance run` (startVitest with a provided RunConfig).
// Not part of `npm test`: they need the mock servers or a live base URL the runner sets up.
export default defineConfig({
  test: {
    // .ts from source, .js from the build (dist/suites); an installed package lives under node_modules, which
    // vitest excludes by default
    include: ['suites/*.suite.{ts,js}'],
    exclude: [],
    // the built harness (dist/src, plain JavaScript) is loaded by Node itself in each worker, not re-transformed by
    // vite — except define-suite, which imports a user's --client module (often TypeScript) through vite
    server: { deps: { external: [/\/dist\/src\/(?!worker\/define-suite\.js)/] } },
    testTimeout: 15 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // one file = one family group; each worker talks to the same servers over HTTP
    fileParallelism: true,
    // the four suite files wait on HTTP far more than on the CPU: all of them at once, even on 2 cores (vitest's
    // default there is one worker, which ran them one after another). A mock run of the reference client shares
    // fewer workers instead (workerSharing in src/run/run-conformance.ts).
    maxWorkers: 4,
  },
});
