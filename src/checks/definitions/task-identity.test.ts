// Who a task answer is about, judged step by step: the task id a poll names, the result's content type, a poll
// without a key, a malformed task id.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { ExchangeSummary } from '../probes/exchange-summary.ts';
import type { TaskObservation } from '../probes/task-probe.ts';
import {
  evaluateMalformedId,
  evaluatePollTaskId,
  evaluatePollWithoutKey,
  evaluateResultContentType,
} from './task-identity.ts';

let evolink: ProviderSpec;
beforeAll(async () => {
  evolink = (await loadAllSpecs()).find((s) => s.id === 'evolink-kling-v3-t2v')!;
});
const ex = (status: number | undefined, body?: unknown): ExchangeSummary => ({
  method: 'GET',
  url: 'http://x',
  status,
  body,
  headers: {},
  retries: 0,
});
const task = (polls: ExchangeSummary[], download?: TaskObservation['download']): TaskObservation =>
  ({ taskId: 'task_1', create: ex(200, { id: 'task_1' }), polls, statuses: [], timedOut: false, download }) as never;
const error = (code: string) => ({ error: { code, message: 'm', type: 'invalid_request_error' } });

describe('task identity, step by step', () => {
  it('poll task id: naming the created task passes, another task fails, naming none skips', () => {
    expect(evaluatePollTaskId(evolink, task([ex(200, { id: 'task_1', status: 'pending' })])).status).toBe('pass');
    const other = evaluatePollTaskId(evolink, task([ex(200, { id: 'task_2', status: 'pending' })]));
    expect(other).toMatchObject({ status: 'fail', findings: [{ kind: 'shape', expected: 'task_1' }] });
    expect(evaluatePollTaskId(evolink, task([ex(200, { status: 'pending' })])).status).toBe('skip');
  });

  it('result content type: video/* passes; anything else fails on our reading; no video is an error', () => {
    const video = { durationSeconds: 5, width: 1280, height: 720 } as never;
    expect(evaluateResultContentType(evolink, task([], { video, contentType: 'video/mp4' })).status).toBe('pass');
    const html = evaluateResultContentType(evolink, task([], { video, contentType: 'text/html' }));
    expect(html).toMatchObject({ status: 'fail', findings: [{ kind: 'download', inferred: true }] });
    expect(evaluateResultContentType(evolink, task([], undefined)).status).toBe('error');
  });

  it('poll without a key: the documented refusal passes; an answer fails; no answer is an error', () => {
    expect(evaluatePollWithoutKey(evolink, ex(401, error('unauthorized'))).status).toBe('pass');
    const readable = evaluatePollWithoutKey(evolink, ex(200, { id: 'task_1' }));
    expect(readable).toMatchObject({ status: 'fail', findings: [{ kind: 'status', observed: 200 }] });
    expect(readable.message).toContain('was not refused');
    expect(evaluatePollWithoutKey(evolink, { ...ex(undefined), error: 'reset' }).status).toBe('error');
  });

  it('malformed id: the documented status and code pass; another code or status fails', () => {
    expect(evaluateMalformedId(evolink, ex(400, error('invalid_task_id'))).status).toBe('pass');
    expect(evaluateMalformedId(evolink, ex(400, error('other')))).toMatchObject({
      status: 'fail',
      findings: [{ kind: 'error-code' }],
    });
    expect(evaluateMalformedId(evolink, ex(404, error('resource_not_found')))).toMatchObject({
      status: 'fail',
      findings: [{ kind: 'status' }],
    });
  });

  it('a bare refusal (the status without the documented error body or code) is no evidence: fail', () => {
    const html = { ...ex(401), text: 'Unauthorized', headers: { 'content-type': 'text/html' } };
    const bare = evaluatePollWithoutKey(evolink, html);
    expect(bare).toMatchObject({ status: 'fail', findings: [{ kind: 'shape' }] });
    expect(bare.findings![0]!.message).toContain('text/html "Unauthorized"');
    expect(bare.findings![0]!.message).toContain('documented: application/json {"error":{"code":');
    expect(evaluatePollWithoutKey(evolink, ex(401, { error: { message: 'm' } })).status).toBe('fail');
    expect(evaluateMalformedId(evolink, { ...ex(400), text: 'Bad Request' }).status).toBe('fail');
    // a body of the documented schema with no code where the documents put one: the code is missing
    expect(
      evaluateMalformedId(evolink, ex(400, { error: { message: 'm', type: 'invalid_request_error' } })),
    ).toMatchObject({ status: 'fail' });
  });
});
