// Money at run time: every create reserves its documented price in a ledger shared by all workers; once the budget
// is reached nothing paid is sent; a task a gateway makes from a body the documents forbid is cancelled where a cancel
// operation is documented, and the ledger records both.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayClient } from '../src/client/gateway-client.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { SpendLedger } from '../src/core/spend-ledger.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { compileValidators } from '../src/validate/compile-validators.ts';
import { startDeviatingMock, withBody } from './support/deviating-mock.ts';
import { tempFolder } from './support/temp-folder.ts';

let spec: ProviderSpec;
let gateway: Awaited<ReturnType<typeof startDeviatingMock>>;
let creates = 0;
beforeAll(async () => {
  spec = await loadSpecById('fal-kling-v3-standard-t2v');
  // a gateway that accepts what the documents forbid (it generates the documented example instead)
  gateway = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), validKeys: ['k'] },
    {
      request: (req, x) => {
        if (x.operation !== 'create') return req;
        creates += 1;
        return withBody(req, (b) =>
          compileValidators(spec).request(b).valid
            ? b
            : (structuredClone(spec.create.examples[0]!.value) as Record<string, unknown>),
        );
      },
    },
  );
});
afterAll(() => gateway.close());

const example = () => structuredClone(spec.create.examples[0]!.value) as Record<string, unknown>;
const ledgerIn = (budget?: { amount: number; currency: string }) =>
  new SpendLedger(join(tempFolder('kc-ledger-'), 'ledger.jsonl'), budget);
const clientWith = (ledger: SpendLedger) =>
  new GatewayClient(spec, { baseUrl: gateway.url, apiKey: 'k', retry: false, ledger });

describe('the spend ledger', () => {
  it('records a documented create at its documented price, and releases the hold of a refused one', async () => {
    const ledger = ledgerIn();
    const client = clientWith(ledger);
    expect((await client.createTask(example())).status).toBe(200);
    // the example is 5 s with audio (generate_audio true): 0.126 USD/s
    expect(ledger.totals()).toMatchObject({ spent: { USD: 0.63 }, tasks: 1, mistakenTasks: 0 });
    const unauthorised = await client.createTask(example(), { apiKey: 'wrong' });
    expect(unauthorised.status).toBe(401);
    expect(ledger.totals().spent.USD).toBe(0.63);
  });

  it('cancels a task made from a body the documents forbid, and records the task and the cancel', async () => {
    const ledger = ledgerIn();
    const client = clientWith(ledger);
    const r = await client.createTask({ ...example(), duration: '99' });
    expect(r.status).toBe(200);
    expect(r.cancelled).toEqual({ status: 202, error: undefined });
    const entries = ledger.entries();
    expect(entries.map((e) => e.kind)).toEqual(['reserve', 'task', 'cancel']);
    expect(entries[1]).toMatchObject({ mistaken: true });
    expect(ledger.totals()).toMatchObject({ tasks: 1, mistakenTasks: 1, cancelled: 1 });
  });

  it('sends no paid request once the budget is reached: refused before it leaves the process', async () => {
    const ledger = ledgerIn({ amount: 1, currency: 'USD' });
    const client = clientWith(ledger);
    const before = creates;
    expect((await client.createTask(example())).status).toBe(200);
    const refused = await client.createTask(example());
    expect(refused.error).toMatchObject({ code: 'BUDGET' });
    expect(refused.error!.message).toContain('the budget of 1 USD cannot hold this create');
    expect(creates - before).toBe(1);
    expect(ledger.totals().spent.USD).toBeLessThanOrEqual(1);
  });

  it('several ledgers on one file (as the workers hold it) never overshoot the budget together', async () => {
    const file = join(tempFolder('kc-ledger-'), 'ledger.jsonl');
    const ledgers = Array.from(
      { length: 8 },
      () => new SpendLedger(file, { amount: 2, currency: 'USD' }, { holdWaitMs: 0 }),
    );
    const granted = await Promise.all(
      ledgers.map(
        async (l, i) => (await l.reserve({ id: `r${i}`, provider: spec.id, amount: 0.63, currency: 'USD' })).ok,
      ),
    );
    expect(granted.filter(Boolean)).toHaveLength(3);
    expect(new SpendLedger(file).totals().spent.USD).toBe(1.89);
  });
});

describe('the spend hold, per provider', () => {
  const USD = (amount: number) => ({ amount, currency: 'USD' });
  const hold = (id: string, provider: string, purpose: string, amount: number, currency = 'USD') => ({
    id,
    provider,
    purpose,
    amount,
    currency,
  });
  /** did the reserve answer before the event loop turned (no wait at all)? */
  const atOnce = (p: Promise<unknown>) =>
    Promise.race([p.then(() => true), new Promise<boolean>((resolve) => setImmediate(() => resolve(false)))]);
  const ledgerWith = (
    limits: ConstructorParameters<typeof SpendLedger>[2],
    budget?: { amount: number; currency: string },
  ) =>
    new SpendLedger(join(tempFolder('kc-ledger-'), 'ledger.jsonl'), budget, {
      riskyPhaseUntil: Date.now() + 600_000,
      ...limits,
    });

  it('a paid create goes at once beside risky creates to come when the budget holds it and the dearest', async () => {
    // 2 USD: the default generation earmarked (0.375), risky creates of 0.375 to come (one of 2.25 the budget never
    // holds): a 0.375 paid create leaves room for any of them
    const ledger = ledgerWith({
      perProvider: { a: USD(2) },
      earmarks: { a: { 'default-task': 0.375 } },
      riskyPrices: { a: [0.375, 0.375, 2.25] },
    });
    expect(await atOnce(ledger.reserve(hold('p1', 'a', 'boundary.x', 0.375)))).toBe(true);
    expect(ledger.entries().map((e) => e.kind)).toEqual(['reserve']);
  });

  it('a paid create waits while it would crowd out a risky create to come, then goes after it', async () => {
    // 1 USD: the default generation (0.375) + the risky create (0.375) + this paid one (0.375) would not fit
    const ledger = ledgerWith({
      perProvider: { a: USD(1) },
      earmarks: { a: { 'default-task': 0.375 } },
      riskyPrices: { a: [0.375] },
    });
    const paid = ledger.reserve(hold('p1', 'a', 'boundary.x', 0.375));
    expect(await atOnce(paid)).toBe(false);
    // the risky create meets the budget first; while it is in flight the paid one still waits (it would not fit)
    expect(await ledger.reserve(hold('r1', 'a', 'risky', 0.375))).toEqual({ ok: true });
    expect(await atOnce(paid)).toBe(false);
    ledger.append({ kind: 'release', id: 'r1', provider: 'a', amount: 0.375, currency: 'USD' });
    expect(await paid).toEqual({ ok: true });
    expect(ledger.entries().map((e) => `${e.kind} ${e.id}`)).toEqual(['reserve r1', 'release r1', 'reserve p1']);
  });

  it("another provider's risky creates, queued or in flight, never hold a provider's paid create", async () => {
    const ledger = ledgerWith(
      {
        perProvider: { a: USD(1), b: USD(1) },
        earmarks: { a: { 'default-task': 0.375 }, b: { 'default-task': 0.375 } },
        riskyPrices: { a: [0.375, 0.375], b: [] },
      },
      USD(2),
    );
    expect(await ledger.reserve(hold('r1', 'a', 'risky', 0.375))).toEqual({ ok: true });
    // a's risky create is in flight and another is still to come: b's paid create goes at once all the same
    expect(await atOnce(ledger.reserve(hold('p1', 'b', 'boundary.x', 0.625)))).toBe(true);
    // a's own paid create waits for its risky creates
    const paid = ledger.reserve(hold('p2', 'a', 'boundary.x', 0.375));
    expect(await atOnce(paid)).toBe(false);
    ledger.append({ kind: 'release', id: 'r1', provider: 'a', amount: 0.375, currency: 'USD' });
    expect(await ledger.reserve(hold('r2', 'a', 'risky', 0.375))).toEqual({ ok: true });
    ledger.append({ kind: 'release', id: 'r2', provider: 'a', amount: 0.375, currency: 'USD' });
    expect(await paid).toEqual({ ok: true });
    expect(ledger.spentByProvider()).toEqual({ a: { USD: 0.375 }, b: { USD: 0.625 } });
  });

  it("a provider's earmarks in another currency never count against a budget in this one", async () => {
    // the run's 4 USD and a credits-priced provider with its own budget: its 1200 credits earmarked are not dollars
    const ledger = ledgerWith(
      {
        perProvider: { a: USD(2), c: { amount: 2000, currency: 'credits' } },
        earmarks: { c: { 'default-task': 1200 } },
      },
      USD(4),
    );
    expect(await ledger.reserve(hold('p1', 'a', 'default-task', 0.375))).toEqual({ ok: true });
    expect(await ledger.reserve(hold('p2', 'c', 'boundary.x', 900, 'credits'))).toMatchObject({ ok: false });
    expect(await ledger.reserve(hold('p3', 'c', 'boundary.x', 800, 'credits'))).toEqual({ ok: true });
  });
});
