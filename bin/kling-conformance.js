#!/usr/bin/env node
// The CLI. Installed, it runs the build (dist/, plain JavaScript); in a checkout, the sources through tsx when the
// build is older than an edit (see build-state.js).
import { codeToRun } from './build-state.js';

let main;
if (codeToRun() === 'dist') ({ main } = await import('../dist/src/cli/main.js'));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
