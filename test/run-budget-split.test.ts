// Budgets that overlap, end to end against loopback gateways (each a provider's faithful mock, counting the tasks it
// made): per-provider budgets adding up to more than the run-wide one are split by the plan — each provider within
// its own, the run within the cap, every planned pick made and none refused by the ledger — and the shards of a run
// given --budget spend that budget together, not once each. And the run is its dry run: the risky creates it sends
// are exactly those the dry run lists as sent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/core/clock.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { isSuccess } from '../src/spec/operations.ts';
import { compileValidators } from '../src/validate/compile-validators.ts';
import { startDeviatingMock, withBody } from './support/deviating-mock.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-budget-split-0123456789abcdef';
const EVOLINK = 'evolink-kling-v3-t2v';
const FAL = 'fal-kling-v3-standard-t2v';

/** A provider's mock as its live gateway, counting the creates it answered with a success; `acceptAll`: a body the
 * documents forbid is made into the documented example's task (a gateway that bills what it should refuse). */
async function gateway(provider: string, acceptAll = false) {
  const spec = await loadSpecById(provider);
  const g = { provider, url: '', made: 0, close: async () => {} };
  const example = () => structuredClone(spec.create.examples[0]!.value) as Record<string, unknown>;
  const mock = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), validKeys: [KEY] },
    {
      request: (req, x) =>
        acceptAll && x.operation === 'create'
          ? withBody(req, (b) => (compileValidators(spec).request(b).valid ? b : example()))
          : req,
      response: (res, _req, x) => {
        if (x.operation === 'create' && isSuccess(spec, 'create', res.status)) g.made += 1;
        return res;
      },
    },
  );
  return Object.assign(g, { url: mock.url, close: mock.close });
}
type Gateway = Awaited<ReturnType<typeof gateway>>;

const live = (gateways: Gateway[], dir: string, extra: string[]) =>
  runCli(
    [
      'run',
      ...gateways.flatMap((g) => ['--provider', g.provider, '--base-url', `${g.provider}=${g.url}`]),
      ...['--target', 'live', '--api-key-env', 'KC_SPLIT_KEY', '--poll-interval', '1'],
      ...['--link-recheck', '1', '--timeout', '900', '--history', join(dir, 'history.jsonl'), '--quiet'],
      ...extra,
    ],
    { env: { KC_SPLIT_KEY: KEY }, timeoutMs: 600_000 },
  );

type Night = {
  provider: string;
  budget: { amount: number };
  ownBudget?: { amount: number };
  runWideBudget?: { amount: number };
  picked: string[];
  spent: number;
  skippedForBudget: { id: string; reason: string }[];
};
const resultsOf = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
    run: { spend: { documented: { USD?: number }; tasks: number; plan?: Night[] } };
  };

let evolink: Gateway;
let fal: Gateway;
beforeAll(async () => {
  [evolink, fal] = await Promise.all([gateway(EVOLINK), gateway(FAL)]);
});
afterAll(async () => Promise.all([evolink.close(), fal.close()]));

describe('overlapping budgets, end to end', () => {
  it('own budgets over the run-wide one: the plan splits the cap, every pick is made, no budget passed', async () => {
    const dir = tempFolder('kc-split-');
    const budgets = [
      '--allow-paid',
      '--budget',
      '1.2USD',
      '--budget',
      `${EVOLINK}=0.8USD`,
      '--budget',
      `${FAL}=0.8USD`,
    ];
    const r = await live([evolink, fal], dir, [...budgets, '--family', 'defaults', '--report-dir', join(dir, 'run')]);
    expect(r.code, r.stderr).toBe(0);
    const { spend } = resultsOf(join(dir, 'run')).run;
    const night = (id: string) => spend.plan!.find((n) => n.provider === id)!;
    // every pick made (one task each: the default generation), none refused, each within its own and the run's
    expect([evolink.made, fal.made]).toEqual([night(EVOLINK).picked.length, night(FAL).picked.length]);
    expect(spend.tasks).toBe(evolink.made + fal.made);
    for (const id of [EVOLINK, FAL]) expect(night(id).spent).toBeLessThanOrEqual(night(id).budget.amount);
    expect(spend.documented.USD).toBeLessThanOrEqual(1.2);
    // EvoLink's own 0.8 USD would buy a 3 s video beside its default generation: the cap leaves it 0.4725
    expect(night(EVOLINK)).toMatchObject({ budget: { amount: 0.4725 }, ownBudget: { amount: 0.8 } });
    expect(night(EVOLINK).runWideBudget).toEqual({ amount: 1.2, currency: 'USD' });
    expect(night(EVOLINK).skippedForBudget.map((s) => s.reason)).toContainEqual(
      expect.stringMatching(/^paid, skipped for the run-wide budget \(1\.2 USD leaves it 0\.4725 of its 0\.8\)/),
    );
    expect(readFileSync(join(dir, 'run', 'summary.md'), 'utf8')).toContain(
      `Paid plan for ${EVOLINK}, night 1 (budget 0.4725 USD, what the run-wide 1.2 USD leaves of its own 0.8)`,
    );
    // (a history of its own: tonight is night 1 again)
    const dry = await live([evolink, fal], tempFolder('kc-split-dry-'), [...budgets, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${EVOLINK}: night 1, budget 0.4725 USD (what the run-wide 1.2 USD leaves of its own`);
    // the run-wide cap in USD over a provider priced in credits: refused before anything is sent
    // (given a base URL of its own: a live provider without one is refused first, for that)
    const apiinone = ['--provider', 'apiinone-kling-3', '--base-url', `apiinone-kling-3=${evolink.url}`];
    const credits = await live([evolink], dir, ['--budget', '5USD', ...apiinone, '--dry-run']);
    expect(credits.code).toBe(2);
    expect(credits.stderr).toContain('apiinone-kling-3 is priced in credits; the run-wide --budget 5 USD cannot');
    expect(credits.stderr).toContain('--budget apiinone-kling-3=<n>credits');
  }, 600_000);

  it('two shards given --budget 1USD spend 1 USD together, not 1 USD each: each holds its part', async () => {
    // a gateway that makes a task of every create (risky ones too): each shard spends all the money it may
    const billing = await gateway(EVOLINK, true);
    try {
      const dir = tempFolder('kc-split-shards-');
      // forbidden bodies in two suite files (reject: requests.suite; shape, availability: task.suite), each shard
      // given one of them: nothing paid, every dollar spent is a risky create the gateway wrongly accepted
      const families = ['--family', 'reject', '--family', 'shape', '--family', 'availability'];
      const shards = await Promise.all(
        ['1/2', '2/2'].map((shard, i) =>
          live([billing], dir, [...families, '--budget', '1USD', '--shard', shard, '--report-dir', join(dir, `s${i}`)]),
        ),
      );
      for (const s of shards) expect([0, 1], s.stderr).toContain(s.code);
      const spent = [0, 1].map((i) => resultsOf(join(dir, `s${i}`)).run.spend.documented.USD ?? 0);
      expect(spent[0]! + spent[1]!).toBeLessThanOrEqual(1);
      expect(shards[0]!.stderr).toMatch(/^shard 1\/2 \(boundary\.suite, requests\.suite\) holds its part/m);
      // the premise: the gateway billed what it was sent, so the shards did spend
      expect(billing.made).toBeGreaterThan(1);
    } finally {
      await billing.close();
    }
  }, 600_000);
});

describe("the run is tonight's plan", () => {
  it('sends exactly the risky creates its dry run lists as sent (1 USD each, as docs/ci.md recommends)', async () => {
    const dir = tempFolder('kc-risky-truth-');
    const flags = ['--allow-paid', '--budget', `${EVOLINK}=1USD`, '--budget', `${FAL}=1USD`, '--family', 'reject'];
    // the shape family brings the default generation (held for from the start) and more risky creates
    const run = [...flags, '--family', 'shape', '--seed', '1'];
    const dry = await live([evolink, fal], dir, [...run, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    type Row = { provider: string; check: string; key?: string; sent?: boolean; notSent?: string };
    const rows = (JSON.parse(dry.stdout) as { requests: Row[] }).requests;
    const listed = new Set(rows.filter((r) => r.sent).map((r) => `${r.provider} ${r.key}`));
    const r = await live([evolink, fal], dir, [...run, '--report-dir', join(dir, 'run')]);
    expect([0, 1], r.stderr).toContain(r.code);
    const ledger = readFileSync(join(dir, 'run', 'ledger.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const sent = ledger
      .map((line) => JSON.parse(line) as { kind: string; purpose?: string; provider: string; key?: string })
      .filter((e) => e.kind === 'reserve' && e.purpose === 'risky');
    expect(new Set(sent.map((e) => `${e.provider} ${e.key}`))).toEqual(listed);
    // fal's 0.63 USD rejection checks never fit beside its 0.63 USD default generation: the dry run and report say so
    const prompt = rows.find((x) => x.provider === FAL && x.check === 'reject.prompt_missing')!;
    expect(prompt.notSent).toMatch(/^never at this budget: .* needs a nightly budget of 1\.26 USD/);
    const results = JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8')) as {
      results: { provider: string; id: string; status: string; message?: string }[];
    };
    expect(results.results.find((c) => c.provider === FAL && c.id === 'reject.prompt_missing')).toMatchObject({
      status: 'skip',
      message: `risky, not sent: ${prompt.notSent}`,
    });
  }, 600_000);
});
