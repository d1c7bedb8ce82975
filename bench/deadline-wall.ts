/**
 * Wall time of `run --timeout 10` (from spawning the CLI to its exit, start-up included) against what used to keep
 * a run alive: a gateway that answers GET / and then drips a byte every 500 ms, a --client whose import never
 * settles, and a --client whose create never returns. Each must end within the timeout + 5 s, report written.
 * Run: node --import tsx bench/deadline-wall.ts [timeout-seconds]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHostileGateway } from '../fixtures/hostile-gateway.ts';

const timeout = process.argv[2] ?? '10';

function timedRun(args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kc-deadline-wall-'));
  const started = Date.now();
  const cli = spawn(
    process.execPath,
    [
      'bin/kling-conformance.js',
      ...args,
      '--timeout',
      timeout,
      '--quiet',
      '--report-dir',
      dir,
      '--history',
      `${dir}.jsonl`,
    ],
    { stdio: 'ignore', env: { ...process.env, ...env } },
  );
  return new Promise<{ seconds: number; code: number | null; report: boolean }>((resolve) =>
    cli.on('close', (code) =>
      resolve({ seconds: (Date.now() - started) / 1000, code, report: existsSync(join(dir, 'results.json')) }),
    ),
  );
}

const withClient = (name: string) =>
  timedRun(['run', '--provider', 'evolink-kling-v3-t2v', '--client', `fixtures/adapters/${name}-adapter.ts`]);
const drip = await startHostileGateway('drip');
const cases: [string, () => ReturnType<typeof timedRun>][] = [
  [
    'drip gateway (every family)',
    () =>
      timedRun(
        ['run', '--provider', 'evolink-kling-v3-t2v', '--target', 'live', '--base-url', drip.url, '--api-key-env', 'K'],
        { K: 'sk-drip-0123456789' },
      ),
  ],
  ['a --client whose import never settles', () => withClient('hanging-import')],
  ['a --client whose create never returns', () => withClient('hanging-create')],
];
for (const [name, run] of cases) {
  const r = await run();
  console.log(
    `--timeout ${timeout}, ${name}: ${r.seconds.toFixed(1)} s wall, exit ${r.code}, ` +
      `report ${r.report ? 'written' : 'MISSING'}`,
  );
}
await drip.close();
