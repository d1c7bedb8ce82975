#!/usr/bin/env node
// The package ships TypeScript sources and runs them through tsx (a runtime dependency), so there is no
// build step between `npm ci` and a working CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
