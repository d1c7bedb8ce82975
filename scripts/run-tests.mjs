// `npm test`: the static checks (generated files current, specs and workflows linted, biome, tsc) and the vitest run
// side by side, not one after the other: the checks use one core for about a minute while vitest's start-up waits on
// its dist build. Each half's output stays whole (the checks' is printed as one block when they end); the exit code
// is the first failure's, so CI fails when either half fails.
import { spawn } from 'node:child_process';

/** Runs `command` in a shell; resolves with its exit code (and its output when `capture`). */
function run(command, capture) {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

// (npm puts node_modules/.bin on the PATH of `npm test` and of what it starts)
const checks = run('npm run test:static', true).then((r) => {
  process.stderr.write(`\n── npm run test:static: ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`}\n${r.out}\n`);
  return r.code;
});
const tests = run('vitest run', false).then((r) => r.code);
const [staticCode, testCode] = await Promise.all([checks, tests]);
process.exit(staticCode || testCode);
