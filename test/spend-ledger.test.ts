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
    expect(refused.error!.message).toContain('budget of 1 USD is reached');
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
