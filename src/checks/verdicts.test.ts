// Verdicts need evidence: each case below passed on the code before issue 9 and must not pass now.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { buildResults } from '../report/build-results.ts';
import { observedDrift } from '../drift/observed-drift.ts';
import { evaluateTransitions, evaluateVocabulary, evaluateTerminal } from './definitions/lifecycle.ts';
import { evaluateDefault } from './definitions/defaults.ts';
import { evaluateRejection } from './definitions/rejection-verdict.ts';
import { availabilityChecks } from './definitions/availability.ts';
import { shapeChecks } from './definitions/shapes.ts';
import { settle } from './engine.ts';
import type { TaskObservation } from './probes/task-probe.ts';
import type { ExchangeSummary } from './probes/exchange-summary.ts';
import type { CheckResult } from './types.ts';

let specs: Map<string, ProviderSpec>;
beforeAll(async () => {
  specs = new Map((await loadAllSpecs()).map((s) => [s.id, s]));
});
const toapis = () => specs.get('toapis-kling-3.0-turbo')!;
const ex = (status: number | undefined, body?: unknown, text?: string): ExchangeSummary => ({
  method: 'GET',
  url: 'http://x',
  status,
  body,
  text,
  headers: {},
  retries: 0,
});
const task = (o: Partial<TaskObservation>): TaskObservation => ({
  sent: {},
  expected: { values: {} } as never,
  create: ex(200, { id: 'video_1', status: 'queued' }),
  taskId: 'video_1',
  polls: [],
  statuses: [],
  timedOut: false,
  ...o,
});

describe('lifecycle verdicts demand evidence', () => {
  it('a create that answered 500 is an error, not "legal: "', () => {
    const v = evaluateTransitions(toapis(), task({ create: ex(500, { error: {} }), taskId: undefined }));
    expect(v.status).toBe('error');
  });

  it('polls that all returned broken JSON are an error, not a pass on the create status alone', async () => {
    const { lifecycleChecks } = await import('./definitions/lifecycle.ts');
    const transitions = lifecycleChecks.find((c) => c.id === 'lifecycle.transitions')!;
    const v = transitions.evaluate(
      toapis(),
      task({
        statuses: ['queued'],
        polls: [ex(200, undefined, '{"id": "trunc'), ex(200, undefined, '{"id": "trunc')],
      }) as never,
    );
    expect(v.status).toBe('error');
    expect(v.message).toContain('none of the 2 polls could be read');
  });

  it('no terminal status reached is an error for transitions and a fail for terminal', () => {
    const obs = task({
      statuses: ['queued', 'in_progress', 'in_progress'],
      polls: [ex(200, {}), ex(200, {})],
      timedOut: true,
    });
    expect(evaluateTransitions(toapis(), obs).status).toBe('error');
    expect(evaluateTerminal(toapis(), obs)).toMatchObject({ status: 'fail', findings: [{ kind: 'not-terminal' }] });
  });

  it('an undocumented status word is named, never ranked as the initial status', () => {
    const obs = task({ statuses: ['string', 'in_progress', 'completed'], terminal: 'completed', polls: [ex(200, {})] });
    const t = evaluateTransitions(toapis(), obs);
    expect(t.status).toBe('error');
    expect(t.message).toContain('undocumented status word(s) string');
    const v = evaluateVocabulary(toapis(), obs);
    expect(v).toMatchObject({ status: 'fail', findings: [{ kind: 'status-word', observed: 'string' }] });
    expect(v.message).toContain('seen: string, in_progress, completed');
  });
});

describe('a status never reached is no verdict on it', () => {
  it(
    'an error-shape check whose request ran into the run deadline is an error, not ' +
      'a fail (found by a parallel run)',
    async () => {
      const spec = specs.get('evolink-kling-v3-t2v')!;
      const check = shapeChecks(spec).find((c) => c.id === 'shape.error.400')!;
      const cut = { ...ex(undefined), error: 'TIMEOUT: the run deadline (--timeout) passed during this request' };
      const verdict = await check.evaluate(spec, [cut] as never);
      expect(verdict).toMatchObject({ status: 'error', findings: [{ kind: 'evidence' }] });
      expect((await check.evaluate(spec, [ex(200, {})] as never)).status).toBe('fail');
    },
  );
});

describe('judged by what the documents say', () => {
  const video = (durationSeconds: number) => ({
    download: { status: 200, video: { durationSeconds, width: 1280, height: 720 } as never },
    terminal: 'completed',
  });

  it('a 6 s default follows one documented claim (ToAPIs table): pass, with the claim it follows', () => {
    const v = evaluateDefault(toapis(), 'duration', task(video(6)));
    expect(v.status).toBe('pass');
    expect(v.findings).toMatchObject([{ kind: 'claim-followed', observed: 6 }]);
    expect(v.findings![0]!.matches!.join()).toContain('关键参数 table');
  });

  it('a 7 s default matches no documented claim: fail', () => {
    expect(evaluateDefault(toapis(), 'duration', task(video(7)))).toMatchObject({
      status: 'fail',
      findings: [{ kind: 'default', observed: 7 }],
    });
  });

  it('a 400 with an undocumented error code fails; the other documented name passes as a claim followed', () => {
    const obs = (code: string) => ({
      sent: { model: 'kling-3.0-turbo' },
      response: ex(400, { error: { code, message: 'bad', type: 'invalid_request_error' } }),
    });
    expect(evaluateRejection(toapis(), obs('oops'), { status: 400, source: 's' })).toMatchObject({
      status: 'fail',
      findings: [{ kind: 'error-code', observed: 'oops' }],
    });
    expect(evaluateRejection(toapis(), obs('invalid_request_error'), { status: 400, source: 's' })).toMatchObject({
      status: 'pass',
      findings: [{ kind: 'claim-followed' }],
    });
  });

  it('a gateway that ignores contents and answers "prompt is required" fails reject.first_frame (seed 003)', () => {
    const spec = specs.get('aimanyi-kling-3.0-turbo')!;
    const sent = { contents: [{ type: 'first_frame', text: 'a cat' }] };
    const v = evaluateRejection(
      spec,
      { sent, response: ex(400, { code: 1201, message: 'prompt is required', request_id: 'r' }) },
      { status: 400, source: 's' },
    );
    expect(v.status).toBe('fail');
    expect(v.findings!.map((f) => f.kind)).toContain('error-field');
  });

  it('a failure that rests only on inferred facts warns, and fails under --strict', () => {
    const v = {
      status: 'fail' as const,
      message: 'm',
      findings: [{ kind: 'status' as const, message: 'x', inferred: true }],
    };
    expect(settle(v, false).status).toBe('warn');
    expect(settle(v, true).status).toBe('fail');
    expect(settle({ ...v, findings: [...v.findings, { kind: 'status' as const, message: 'y' }] }, false).status).toBe(
      'fail',
    );
  });
});

describe('findings are data: billing, the boundary table and drift read them', () => {
  const result = (r: Partial<CheckResult>): CheckResult => ({
    id: 'x',
    provider: 'toapis-kling-3.0-turbo',
    title: 't',
    family: 'reject',
    paid: false,
    durationMs: 1,
    status: 'pass',
    message: '',
    ...r,
  });

  it('a placeholder model answered with 200 is a billable task', () => {
    const spec = specs.get('toapis-kling-v3-fast')!;
    const v = availabilityChecks[0]!.evaluate(spec, { sent: {}, response: ex(200, { id: 'video_1' }) });
    expect(settle(v, false)).toMatchObject({ status: 'fail', billableTasks: 1 });
  });

  it('a live reject.enum.aspect_ratio answered 200 is drift and a billable task, read from the typed finding', () => {
    const v = settle(
      evaluateRejection(
        toapis(),
        { sent: { aspect_ratio: 'kc-undocumented-value' }, response: ex(200, { id: 'video_1', status: 'queued' }) },
        { status: 400, source: 's' },
      ),
      false,
    );
    const r = result({ id: 'reject.enum.aspect_ratio', ...v });
    const run = buildResults(
      {
        id: 'r',
        target: 'live',
        providers: [],
        seed: 1,
        startedAt: '',
        endedAt: '',
        allowPaid: false,
        client: 'reference',
      },
      [r],
      '0',
    );
    expect(run.summary.billableTasks.acceptedInvalid).toBe(1);
    expect(observedDrift([run], specs).map((i) => i.fact)).toEqual(['accepts.reject.enum.aspect_ratio']);
  });

  it('a skipped boundary rule is not counted as "1 case, 0 failed"', () => {
    const run = buildResults(
      {
        id: 'r',
        target: 'mock',
        providers: [],
        seed: 1,
        startedAt: '',
        endedAt: '',
        allowPaid: false,
        client: 'reference',
      },
      [result({ id: 'boundary.maxLength+1', family: 'boundary', status: 'skip', message: 'not applicable' })],
      '0',
    );
    expect(run.summary.boundary).toBeUndefined();
  });
});
