// evaluateRejection as its steps compose: no answer is no verdict; the body, code and blamed field are judged only
// once the status is the documented one; a task made for a rejected request fails whatever the status.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { ExchangeSummary } from '../probes/exchange-summary.ts';
import type { RequestObservation } from '../probes/request-probes.ts';
import { errorCodeFindings, evaluateRejection } from './rejection-verdict.ts';

let toapis: ProviderSpec;
beforeAll(async () => {
  toapis = (await loadAllSpecs()).find((s) => s.id === 'toapis-kling-3.0-turbo')!;
});
const ex = (status: number | undefined, body?: unknown): ExchangeSummary => ({
  method: 'POST',
  url: 'http://x',
  status,
  body,
  headers: {},
  retries: 0,
});
const error = (code: string) => ({ error: { code, message: 'bad', type: 'invalid_request_error' } });
const obs = (response: ExchangeSummary, more: Partial<RequestObservation> = {}): RequestObservation => ({
  sent: { model: 'kling-3.0-turbo' },
  response,
  tasksCreated: 0,
  ...more,
});
const expected = { status: 400, source: 'the guide' };

describe('evaluateRejection', () => {
  it('the documented status, body and code: pass; where tasks cannot be counted it says so', () => {
    const v = evaluateRejection(toapis, obs(ex(400, error('invalid_request'))), expected);
    expect(v.status).toBe('pass');
    expect(v.warnings).toBeUndefined();
    const live = evaluateRejection(
      toapis,
      obs(ex(400, error('invalid_request')), { tasksCreated: undefined }),
      expected,
    );
    expect(live.warnings?.[0]).toMatch(/cannot be seen on this target/);
  });

  it('no status is no verdict (error); another status is judged on the status alone', () => {
    expect(evaluateRejection(toapis, obs({ ...ex(undefined), error: 'reset' }), expected).status).toBe('error');
    const other = evaluateRejection(toapis, obs(ex(422, 'not json')), expected);
    expect(other.findings?.map((f) => f.kind)).toEqual(['status']);
  });

  it('an undocumented code, and a task made for the rejected request, each a finding with the source', () => {
    const v = evaluateRejection(toapis, obs(ex(400, error('oops')), { tasksCreated: 1 }), expected);
    expect(v.status).toBe('fail');
    expect(v.findings?.map((f) => f.kind)).toEqual(['error-code', 'task-created']);
    expect(v.findings?.every((f) => f.source === 'the guide')).toBe(true);
  });

  it('code: another documented claim is followed (not a failure); a documented other code is no finding', () => {
    const followed = errorCodeFindings(toapis, 400, error('invalid_request_error'), undefined);
    expect(followed).toMatchObject([{ kind: 'claim-followed', observed: 'invalid_request_error' }]);
    expect(errorCodeFindings(toapis, 400, error('webhook_not_configured'), undefined)).toEqual([]);
  });
});
