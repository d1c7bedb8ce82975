// The steps of a documented rejection, each judged alone: status, error body, code, blamed field, task created.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { ExchangeSummary } from '../probes/exchange-summary.ts';
import type { RequestObservation } from '../probes/request-probes.ts';
import {
  blamedFieldFindings,
  errorBodyFindings,
  errorCodeFindings,
  evaluateRejection,
  statusFindings,
  taskCreatedFindings,
} from './rejection-verdict.ts';

let specs: Map<string, ProviderSpec>;
beforeAll(async () => {
  specs = new Map((await loadAllSpecs()).map((s) => [s.id, s]));
});
const toapis = () => specs.get('toapis-kling-3.0-turbo')!;
const ex = (status: number, body?: unknown): ExchangeSummary => ({
  method: 'POST',
  url: 'http://x',
  status,
  body,
  headers: {},
  retries: 0,
});
const toapisError = (code: string) => ({ error: { code, message: 'bad', type: 'invalid_request_error' } });

describe('a documented rejection, step by step', () => {
  it('status: the documented one passes; a 2xx is an accepted invalid request (billable); another is a status', () => {
    const expected = { status: 400, source: 's' };
    expect(statusFindings(toapis(), 400, toapisError('invalid_request'), expected)).toEqual([]);
    expect(statusFindings(toapis(), 200, { id: 'v' }, expected)).toMatchObject([
      { kind: 'accepted-invalid', billableTasks: 1 },
    ]);
    expect(statusFindings(toapis(), 422, {}, { ...expected, inferred: true })).toMatchObject([
      { kind: 'status', expected: 400, observed: 422, inferred: true },
    ]);
  });

  it('error body: not JSON is a shape finding', () => {
    expect(errorBodyFindings(toapis(), 400, undefined)).toMatchObject([{ kind: 'shape' }]);
  });

  it('code: an undocumented code fails; a documented one passes', () => {
    expect(errorCodeFindings(toapis(), 400, toapisError('oops'), undefined)).toMatchObject([
      { kind: 'error-code', observed: 'oops' },
    ]);
    const own = { value: 'oops', source: 's' } as never;
    expect(errorCodeFindings(toapis(), 400, toapisError('oops'), own)).toEqual([]);
  });

  it('blamed field: rejected for a field that is not the one at fault', () => {
    const obs = { sent: { model: 'kling-3.0-turbo' }, response: ex(400, {}), rejectedFor: ['/nowhere'] };
    const notes = blamedFieldFindings(toapis(), obs);
    expect(notes.map((n) => n.kind)).toEqual(['error-field']);
    expect(blamedFieldFindings(toapis(), { ...obs, rejectedFor: undefined })).toEqual([]);
  });

  it('task created: counted tasks for a rejected request are a finding; none, or not countable, is not', () => {
    expect(taskCreatedFindings({ tasksCreated: 2 })).toMatchObject([{ kind: 'task-created', observed: 2 }]);
    expect(taskCreatedFindings({ tasksCreated: 0 })).toEqual([]);
    expect(taskCreatedFindings({})).toEqual([]);
  });
});

// evaluateRejection as its steps compose: no answer is no verdict; the body, code and blamed field are judged only
// once the status is the documented one; a task made for a rejected request fails whatever the status.
const obs = (response: ExchangeSummary, more: Partial<RequestObservation> = {}): RequestObservation => ({
  sent: { model: 'kling-3.0-turbo' },
  response,
  tasksCreated: 0,
  ...more,
});
const expected = { status: 400, source: 'the guide' };

describe('evaluateRejection', () => {
  it('the documented status, body and code: pass; where tasks cannot be counted it says so', () => {
    const v = evaluateRejection(toapis(), obs(ex(400, toapisError('invalid_request'))), expected);
    expect(v.status).toBe('pass');
    expect(v.warnings).toBeUndefined();
    const live = evaluateRejection(
      toapis(),
      obs(ex(400, toapisError('invalid_request')), { tasksCreated: undefined }),
      expected,
    );
    expect(live.warnings?.[0]).toMatch(/cannot be seen on this target/);
  });

  it('no status is no verdict (error); another status is judged on the status alone', () => {
    expect(evaluateRejection(toapis(), obs({ ...ex(0), status: undefined, error: 'reset' }), expected).status).toBe(
      'error',
    );
    const other = evaluateRejection(toapis(), obs(ex(422, 'not json')), expected);
    expect(other.findings?.map((f) => f.kind)).toEqual(['status']);
  });

  it('an undocumented code, and a task made for the rejected request, each a finding with the source', () => {
    const v = evaluateRejection(toapis(), obs(ex(400, toapisError('oops')), { tasksCreated: 1 }), expected);
    expect(v.status).toBe('fail');
    expect(v.findings?.map((f) => f.kind)).toEqual(['error-code', 'task-created']);
    expect(v.findings?.every((f) => f.source === 'the guide')).toBe(true);
  });

  it('code: another documented claim is followed (not a failure); a documented other code is no finding', () => {
    const followed = errorCodeFindings(toapis(), 400, toapisError('invalid_request_error'), undefined);
    expect(followed).toMatchObject([{ kind: 'claim-followed', observed: 'invalid_request_error' }]);
    expect(errorCodeFindings(toapis(), 400, toapisError('webhook_not_configured'), undefined)).toEqual([]);
  });
});
