// e2e global setup: the CLI tests run bin/kling-conformance.js as users do, which runs the build (dist/) — so build
// it first whenever a source is newer than the last build (a fresh clone after `npm ci` is already built).
import { execFileSync } from 'node:child_process';
import { codeToRun } from '../../bin/build-state.js';

export default function setup(): void {
  if (codeToRun() === 'source') execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
