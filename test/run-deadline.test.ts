// --timeout is a hard wall for every phase of a run: the reachability probe, a --client import, and inside a check.
// A run that hits it still writes its report (`error: deadline`). That the run ended at all is proven by its exit
// code: runCli kills a run still going after 100 s (measured wall times are in the README, from
// bench/deadline-wall.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileGateway } from '../fixtures/hostile-gateway.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

type Report = { run: { incomplete?: unknown }; results: { id: string; status: string; message: string }[] };
const read = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Report;

async function timed(args: string[], env: Record<string, string> = {}) {
  const dir = tempFolder('kc-deadline-');
  const r = await runCli([...args, '--report-dir', dir, '--history', join(dir, 'history.jsonl'), '--quiet'], {
    env,
    timeoutMs: 100_000,
  });
  return { r, dir };
}

describe('--timeout is a hard wall', () => {
  it('a gateway that answers GET / and then drips a byte every 500 ms: the run ends and reports', async () => {
    const gateway = await startHostileGateway('drip');
    close = gateway.close;
    const { r, dir } = await timed(
      [...liveRunArgs('evolink-kling-v3-t2v', gateway.url, 'KC_DRIP_KEY'), '--family', 'auth', '--timeout', '10'],
      { KC_DRIP_KEY: 'sk-drip-0123456789' },
    );
    expect(r.code, r.stderr).toBe(1);
    const report = read(dir);
    const judged = report.results.filter((x) => x.status !== 'skip');
    expect(judged.length).toBeGreaterThan(0);
    for (const x of judged) expect(x.status, x.id).toBe('error');
    expect(judged.some((x) => /deadline/.test(x.message))).toBe(true);
  }, 120_000);

  it('a --client whose import never settles: every check is error: deadline, the report is written', async () => {
    const { r, dir } = await timed([
      'run',
      '--provider',
      'evolink-kling-v3-t2v',
      '--family',
      'retry',
      '--client',
      'fixtures/adapters/hanging-import-adapter.ts',
      '--timeout',
      '5',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const judged = read(dir).results.filter((x) => x.status !== 'skip');
    expect(judged.length).toBeGreaterThan(0);
    for (const x of judged) expect(x.message, x.id).toMatch(/^deadline/);
  }, 120_000);

  it('a --client whose create never returns: the check ends at the deadline, not after it', async () => {
    const { r, dir } = await timed([
      'run',
      '--provider',
      'evolink-kling-v3-t2v',
      '--checks',
      'retry.*',
      'auth.*',
      '--client',
      'fixtures/adapters/hanging-create-adapter.ts',
      // (start-up counts against --timeout: room for the auth checks on a loaded machine)
      '--timeout',
      '30',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const results = read(dir).results;
    const retry = results.filter((x) => x.id.startsWith('retry.') && x.status !== 'skip');
    expect(retry.length).toBeGreaterThan(0);
    // each ends unjudged by the deadline at the latest: at the run's deadline, or earlier at the 20 s bound a single
    // client call gets, never after
    for (const x of retry) {
      expect(x.status, x.id).toBe('error');
      expect(x.message, x.id).toMatch(/deadline|did not return within/);
    }
    // the other suite's checks, not stuck behind the client, came back judged
    expect(results.some((x) => x.id.startsWith('auth.') && x.status === 'pass')).toBe(true);
  }, 120_000);
});
