// The ledger is exact: one live run over every shipped provider, each provider's mock served over HTTP as its live
// gateway, counts exactly the tasks each gateway itself says it made; results.json, summary.md, report.html and the
// history line all say that number, and the ledger's task lines split it per provider as the gateways do. By default
// (--allow-paid, no --budget) that is one generation per provider.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.ts';
import { listSpecIds, loadSpecById } from '../src/spec/load-spec.ts';
import { isSuccess } from '../src/spec/operations.ts';
import { envelopeFailure } from '../src/spec/envelope.ts';
import { startDeviatingMock } from './support/deviating-mock.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-ledger-exact-0123456789abcdef';
const SECRET = 'sk-ledger-exact-secret-0123456789';
const providers = listSpecIds();

/** A provider's faithful mock with a front that counts the creates it answered as made: the gateway's own count. */
async function countingGateway(provider: string) {
  const spec = await loadSpecById(provider);
  const gateway = { provider, url: '', made: 0, close: async () => {} };
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
        // a success status without an envelope failure: a task made
        if (!envelopeFailure(spec, res.status, body)) gateway.made += 1;
        return res;
      },
    },
  );
  return Object.assign(gateway, { url: mock.url, close: mock.close });
}

type Gateway = Awaited<ReturnType<typeof countingGateway>>;

/** One live CLI run against these gateways (each provider its base URL and its own key variables). */
async function liveRun(gateways: Gateway[], extra: string[] = []) {
  const dir = tempFolder('kc-exact-');
  // one key for the run (every gateway here accepts it), and the secret a signed-token provider signs with
  const env = { KC_LEDGER_KEY: KEY, KC_LEDGER_SECRET: SECRET };
  const r = await runCli(
    [
      'run',
      ...gateways.flatMap((g) => ['--provider', g.provider, '--base-url', `${g.provider}=${g.url}`]),
      '--target',
      'live',
      '--api-key-env',
      'KC_LEDGER_KEY',
      '--secret-key-env',
      'KC_LEDGER_SECRET',
      '--allow-paid',
      '--poll-interval',
      '1',
      // a loopback gateway's links: fetched again after a second, not after two minutes
      '--link-recheck',
      '1',
      // a wall for the whole command, start-up included: generous, so that a loaded machine is never a deadline
      '--timeout',
      '900',
      '--report-dir',
      dir,
      '--history',
      join(dir, 'history.jsonl'),
      '--quiet',
      ...extra,
    ],
    { env, timeoutMs: 1_000_000 },
  );
  return { r, dir };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

/** What did not pass in a run's results.json (the assertion message when a run that should conform does not). */
function failuresOf(dir: string): string {
  try {
    const results = JSON.parse(read(dir, 'results.json')) as {
      results: { provider: string; id: string; status: string; message: string }[];
    };
    const bad = results.results.filter((x) => x.status === 'fail' || x.status === 'error');
    return bad.map((x) => `${x.status} ${x.provider} ${x.id}: ${x.message}`).join('\n');
  } catch (err) {
    return `no results.json: ${(err as Error).message}`;
  }
}

/** The ledger's task lines per provider: what this run counted as made, gateway by gateway. */
function ledgerTasks(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of read(dir, 'ledger.jsonl').split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as { kind: string; provider: string };
    if (e.kind === 'task') out[e.provider] = (out[e.provider] ?? 0) + 1;
  }
  return out;
}

/** Every report of the run says `tasks` billable tasks. */
function expectEveryReportSays(dir: string, tasks: number) {
  const results = JSON.parse(read(dir, 'results.json')) as {
    run: { spend: { tasks: number } };
    summary: { billableTasks: { created: number } };
  };
  expect(results.run.spend.tasks).toBe(tasks);
  expect(results.summary.billableTasks.created).toBe(tasks);
  expect(read(dir, 'summary.md')).toContain(`billable tasks: ${tasks}`);
  expect(read(dir, 'report.html')).toContain(`billable tasks: ${tasks}`);
  const line = JSON.parse(read(dir, 'history.jsonl').trim().split('\n').at(-1)!) as { billableTasks: number };
  expect(line.billableTasks).toBe(tasks);
}

let gateways: Gateway[] = [];
beforeAll(async () => {
  gateways = await Promise.all(providers.map(countingGateway));
});
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
});

describe('the ledger counts what the gateway made', () => {
  // one run over every provider (the gateways are started once; a run per provider paid the CLI's and its vitest
  // workers' start-up once each): each provider's checks are judged against its own gateway, as in a nightly run
  it.concurrent('every provider in one run: one generation each by default, and every report says ' +
    "the gateways' own count", async () => {
    const { r, dir } = await liveRun(gateways);
    expect([0, 1], `${r.stderr}\n${failuresOf(dir)}`).toContain(r.code);
    // the one default generation per provider, split in the ledger as each gateway counts (a risky create a gateway
    // wrongly accepted would be counted too)
    expect(ledgerTasks(dir)).toEqual(
      Object.fromEntries(gateways.filter((g) => g.made).map((g) => [g.provider, g.made])),
    );
    // exactly one generation each: none where the documents say the model is not available yet
    for (const gateway of gateways) {
      const spec = await loadSpecById(gateway.provider);
      expect(gateway.made, gateway.provider).toBe(spec.x.availability.state === 'not_available' ? 0 : 1);
    }
    expectEveryReportSays(
      dir,
      gateways.reduce((sum, g) => sum + g.made, 0),
    );
  }, 1_000_000);

  it.concurrent('a budget holding more than the default generation buys paid checks; the count agrees', async () => {
    // its own EvoLink gateway: the one above counts the default run's tasks
    const evolink = await countingGateway('evolink-kling-v3-t2v');
    try {
      const { r, dir } = await liveRun([evolink], ['--budget', '2USD']);
      expect(r.code, `${r.stderr}\n${failuresOf(dir)}`).toBe(0);
      const results = JSON.parse(read(dir, 'results.json')) as {
        run: { spend: { documented: { USD: number }; plan: { picked: string[] }[] } };
      };
      expect(evolink.made).toBeGreaterThan(1);
      // accepted boundary cases are tasks like the default one: every report counts them
      expect(ledgerTasks(dir)).toEqual({ 'evolink-kling-v3-t2v': evolink.made });
      expectEveryReportSays(dir, evolink.made);
      expect(results.run.spend.plan[0]!.picked.length).toBeLessThanOrEqual(evolink.made);
      expect(results.run.spend.documented.USD).toBeLessThanOrEqual(2);
    } finally {
      await evolink.close();
    }
  }, 1_000_000);
});
