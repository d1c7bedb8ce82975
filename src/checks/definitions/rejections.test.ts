// The steps of a documented rejection, each judged alone: status, error body, code, blamed field, task created.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { ExchangeSummary } from '../probes/exchange-summary.ts';
import {
  blamedFieldFindings,
  errorBodyFindings,
  errorCodeFindings,
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
