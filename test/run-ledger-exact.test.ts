// The ledger is exact: one live run over every shipped provider, each provider's mock served over HTTP as its live
// gateway, counts exactly the tasks each gateway itself says it made; results.json, summary.md, report.html and the
// history line all say that number, and the ledger's task lines split it per provider as the gateways do. By default
// (--allow-paid, no --budget) that is one generation per provider. A budgeted run over two providers in one process
// buys paid checks for both, and neither provider's spend hold holds the other's creates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.ts';
import { listSpecIds, loadSpecById } from '../src/spec/load-spec.ts';
import { isSuccess } from '../src/spec/operations.ts';
import { envelopeFailure } from '../src/spec/envelope.ts';
import { compileValidators } from '../src/validate/compile-validators.ts';
import { startDeviatingMock } from './support/deviating-mock.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-ledger-exact-0123456789abcdef';
const SECRET = 'sk-ledger-exact-secret-0123456789';
const providers = listSpecIds();

/**
 * A provider's faithful mock with a front that counts the creates it answered as made: the gateway's own count. `see`
 * is shown each create first (its body and trace id) and may hold it: the answer waits until it settles.
 */
async function countingGateway(provider: string, see?: (create: SeenCreate) => Promise<void> | void) {
  const spec = await loadSpecById(provider);
  const gateway = { provider, url: '', made: 0, close: async () => {} };
  const mock = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), validKeys: [KEY], credentials: [{ accessKey: KEY, secretKey: SECRET }] },
    {
      request: async (req, x) => {
        if (x.operation !== 'create' || !see) return req;
        const body = await req
          .clone()
          .json()
          .catch(() => undefined);
        const trace = req.headers.get('x-mock-scenario-id') ?? '';
        await see({
          trace,
          boundaryCase: trace.includes(':case:'),
          valid: compileValidators(spec).request(body).valid,
        });
        return req;
      },
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
/** a create as a gateway sees it: its trace id, whether it is a boundary case, whether the documents allow its body */
type SeenCreate = { trace: string; boundaryCase: boolean; valid: boolean };

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
  gateways = await Promise.all(providers.map((p) => countingGateway(p)));
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

  it.concurrent('a budget buys paid checks per provider, neither holding the other; the counts agree', async () => {
    // two providers in one process, each with its own gateway (the ones above count the default runs' tasks), 2 USD
    // each. EvoLink's first risky create outside the boundary suite (a forbidden body another suite file sends) is
    // held unanswered until fal's gateway sees a paid boundary case: fal's paid creates must not wait for EvoLink's
    // risky ones (queued behind them in one suite file, they would wait until the safety release)
    let release!: (by: string) => void;
    const released = new Promise<string>((resolve) => (release = resolve));
    const safety = setTimeout(() => release('the safety release (fal sent no paid case meanwhile)'), 90_000);
    let held = '';
    const evolink = await countingGateway('evolink-kling-v3-t2v', async (c) => {
      if (held || c.boundaryCase || c.valid) return;
      held = c.trace;
      await released;
    });
    const fal = await countingGateway('fal-kling-v3-standard-t2v', (c) => {
      if (c.boundaryCase && c.valid) release(`a paid boundary case of fal (${c.trace}), EvoLink's risky create held`);
    });
    try {
      // the held create is answered within its request timeout, whichever way the gate opens
      const { r, dir } = await liveRun([evolink, fal], ['--budget', '4USD', '--request-timeout', '200']);
      const results = JSON.parse(read(dir, 'results.json')) as {
        run: { spend: { documented: { USD: number }; plan: { provider: string; picked: string[]; spent: number }[] } };
      };
      // the premise: tonight's plan buys fal a boundary case, and EvoLink sent a risky create the gate could hold
      const falPicks = results.run.spend.plan.find((n) => n.provider === fal.provider)!.picked;
      expect(falPicks.filter((id) => id.startsWith('boundary.')).length).toBeGreaterThan(0);
      expect(held, 'no risky create of EvoLink outside the boundary suite was held').not.toBe('');
      expect(await released).toMatch(/^a paid boundary case of fal/);
      expect(r.code, `${r.stderr}\n${failuresOf(dir)}`).toBe(0);
      expect(evolink.made).toBeGreaterThan(1);
      expect(fal.made).toBeGreaterThan(1);
      // accepted boundary cases are tasks like the default one: every report counts them, per provider as made
      expect(ledgerTasks(dir)).toEqual({ 'evolink-kling-v3-t2v': evolink.made, 'fal-kling-v3-standard-t2v': fal.made });
      expectEveryReportSays(dir, evolink.made + fal.made);
      const made: Record<string, number> = { [evolink.provider]: evolink.made, [fal.provider]: fal.made };
      for (const night of results.run.spend.plan) {
        expect(night.picked.length).toBeLessThanOrEqual(made[night.provider]!);
        expect(night.spent).toBeLessThanOrEqual(2);
      }
      expect(results.run.spend.documented.USD).toBeLessThanOrEqual(4);
    } finally {
      clearTimeout(safety);
      await Promise.all([evolink.close(), fal.close()]);
    }
  }, 1_000_000);
});
