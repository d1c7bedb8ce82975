// Where a gateway's documents disagree on how a refused credential is answered (its guide: 401 for a missing key; its
// error table: 400 / 40001), following either passes — the other with a claim-followed finding — and anything else
// fails. The gateway is the fixture zenith-kling-v3 (fixtures/providers), whose conventions no shipped spec has.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpecById } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { RequestObservation } from '../probes/request-probes.ts';
import { authChecks } from './auth.ts';

let spec: ProviderSpec;
beforeAll(async () => {
  spec = await loadSpecById('zenith-kling-v3', 'fixtures/providers');
});
const missing = () => authChecks.find((c) => c.id === 'auth.missing_key')!;
const answered = (status: number, body: unknown): RequestObservation =>
  ({
    sent: {},
    tasksCreated: 0,
    response: { method: 'POST', url: 'http://x', status, body, headers: {}, retries: 0 },
  }) as unknown as RequestObservation;

describe('auth answers the documents disagree on', () => {
  it("the error table's 400 passes; the guide's 401 passes as a claim followed; a 403 fails", () => {
    const table = missing().evaluate(spec, answered(400, { code: 40001, message: 'no key' }));
    expect(table.status, table.message).toBe('pass');
    const guide = missing().evaluate(spec, answered(401, { code: 40100, message: 'API Key validation failed' }));
    expect(guide.status, guide.message).toBe('pass');
    expect(guide.findings?.some((f) => f.kind === 'claim-followed')).toBe(true);
    const other = missing().evaluate(spec, answered(403, { code: 40301, message: 'bad key' }));
    expect(other.status).toBe('fail');
  });
});
