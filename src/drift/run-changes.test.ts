import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../checks/types.ts';
import type { RunResults } from '../report/build-results.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { reachesLevel } from './diff-specs.ts';
import { compareRuns, direction, valueChange, type RunComparison } from './run-changes.ts';
import { fieldsOf, runFacts } from './run-facts.ts';
import { runNotes } from './run-notes.ts';

const P = 'toapis-kling-3.0-turbo';
let specs: Map<string, ProviderSpec>;
beforeAll(async () => {
  specs = new Map([[P, await loadSpecById(P)]]);
});

const result = (id: string, over: Partial<CheckResult> = {}): CheckResult => ({
  id,
  provider: P,
  title: id,
  family: id.split('.')[0]!,
  paid: false,
  durationMs: 1,
  status: 'pass',
  message: 'ok',
  ...over,
});

const run = (results: CheckResult[], over: Partial<RunResults['run']> = {}): RunResults =>
  ({
    tool: { name: 'kling-conformance', version: '0' },
    run: {
      id: 'r',
      target: 'live',
      providers: [{ id: P, baseUrl: 'http://x', spec: { version: 'v1', digest: 'd1' } }],
      seed: 1,
      startedAt: '2026-12-03T00:00:00Z',
      endedAt: '2026-12-03T01:00:00Z',
      allowPaid: true,
      client: 'reference',
      ...over,
    },
    results,
    summary: {} as RunResults['summary'],
  }) as RunResults;

function compare(before: RunResults, after: RunResults): RunComparison {
  const b = { file: 'before.json', results: before };
  const a = { file: 'after.json', results: after };
  return compareRuns({ ...b, facts: runFacts(before, specs) }, { ...a, facts: runFacts(after, specs) }, runNotes(b, a));
}

const duration = (observed: number, over: Partial<CheckResult> = {}) =>
  result('defaults.duration', { expected: 5, observed, source: 'seed — duration 5', ...over });
const followed6 = {
  findings: [{ kind: 'claim-followed' as const, message: 'm', pointer: '/duration', matches: ['6 (seed — table)'] }],
};
const rejected = (status: number, code: unknown, over: Partial<CheckResult> = {}) =>
  result('reject.prompt_missing', {
    expected: { status: 400, tasksCreated: 0 },
    observed: { status, body: { error: { code, message: 'x' } } },
    source: 'page — 400',
    ...over,
  });

describe('drift --between: what changed in observed behaviour from one run to the next', () => {
  it('a default that moves from the chosen claim to another documented one is a WARN between claims', () => {
    const c = compare(run([duration(5)]), run([duration(6, followed6)]));
    expect(c.changes).toHaveLength(1);
    expect(c.changes[0]).toMatchObject({
      provider: P,
      fact: 'default.duration',
      check: 'defaults.duration',
      change: 'changed',
      before: { value: 5, alignment: 'chosen' },
      after: { value: 6, alignment: 'other-claim', matches: ['6 (seed — table)'] },
      documented: 5,
      source: 'seed — duration 5',
      direction: 'between-claims',
      severity: 'WARN',
    });
    expect(c.changes[0]!.message).toContain('5 → 6');
    expect(reachesLevel(c, 'WARN')).toBe(true);
    expect(reachesLevel(c, 'ERR')).toBe(false);
  });

  it('the same values in both runs are no change (counted unchanged)', () => {
    const c = compare(
      run([duration(5), rejected(400, 'invalid_request')]),
      run([duration(5), rejected(400, 'invalid_request')]),
    );
    expect(c.changes).toEqual([]);
    expect(c.unchanged).toBe(3); // the default, the status, the code
  });

  it('an error answered with another status the documents do not give is ERR, away from the documents', () => {
    const away = rejected(422, 'invalid_request', {
      status: 'fail',
      findings: [{ kind: 'status', message: 'answered 422 instead of 400', observed: 422, expected: 400 }],
    });
    const c = compare(run([rejected(400, 'invalid_request')]), run([away]));
    const status = c.changes.find((x) => x.fact === 'answer.reject.prompt_missing.status')!;
    expect(status).toMatchObject({ direction: 'away', severity: 'ERR', before: { value: 400 }, after: { value: 422 } });
    expect(status.documented).toBe(400);
    // and back: toward the documents is INFO
    const back = compare(run([away]), run([rejected(400, 'invalid_request')]));
    expect(back.changes.find((x) => x.fact === 'answer.reject.prompt_missing.status')).toMatchObject({
      direction: 'toward',
      severity: 'INFO',
    });
  });

  it("an error code is judged against the spec's error table: another claim, or none", () => {
    const other = compare(run([rejected(400, 'invalid_request')]), run([rejected(400, 'invalid_request_error')]));
    const code = other.changes.find((x) => x.fact === 'answer.reject.prompt_missing.code')!;
    expect(code).toMatchObject({
      direction: 'between-claims',
      documented: 'invalid_request',
      after: { alignment: 'other-claim' },
    });
    expect(code.source).toContain('docs.toapis.com');
    expect(code.after!.matches!.join()).toContain('invalid_request_error');
    const none = compare(run([rejected(400, 'invalid_request')]), run([rejected(400, 'bad_thing')]));
    expect(none.changes.find((x) => x.fact === 'answer.reject.prompt_missing.code')).toMatchObject({
      direction: 'away',
      severity: 'ERR',
      after: { value: 'bad_thing', alignment: 'undocumented' },
    });
  });

  it('a new status word is listed as appeared, away from the documents when the check found it undocumented', () => {
    const words = (observed: string[], over: Partial<CheckResult> = {}) =>
      result('lifecycle.vocabulary', { expected: ['queued', 'in_progress', 'completed', 'failed'], observed, ...over });
    const c = compare(
      run([words(['queued', 'queued', 'completed'])]),
      run([
        words(['queued', 'pending', 'completed'], {
          status: 'fail',
          findings: [{ kind: 'status-word', message: 'pending', observed: 'pending' }],
        }),
      ]),
    );
    expect(c.changes[0]).toMatchObject({ fact: 'status.words', direction: 'away', severity: 'ERR' });
    expect(c.changes[0]!.message).toContain('appeared pending');
    // a repeat of a word is timing, not a change
    expect(
      compare(run([words(['queued', 'completed'])]), run([words(['queued', 'queued', 'completed'])])).changes,
    ).toEqual([]);
  });

  it("a response field that appears or vanishes is a change of the shape check's fields", () => {
    const shape = (observed: unknown) =>
      result('shape.poll.completed', { expected: 'the documented schema', observed });
    const c = compare(
      run([shape({ id: 'a', status: 'completed', result: { url: 'u' } })]),
      run([shape({ id: 'b', status: 'completed', video: [{ url: 'u', size: 1 }] })]),
    );
    expect(c.changes).toHaveLength(1);
    expect(c.changes[0]!.fact).toBe('fields.shape.poll.completed');
    expect(c.changes[0]!.message).toContain(
      'appeared /video, /video/*/size, /video/*/url; vanished /result, /result/url (both as documented)',
    );
    expect(c.changes[0]!.direction).toBe('within-documents'); // the shape check passed both times
    // ids and times differ every run: the same fields are no change
    expect(compare(run([shape({ id: 'a' })]), run([shape({ id: 'b' })])).changes).toEqual([]);
  });

  it('a link lifetime that changed shows both observations', () => {
    const link = (at: number, over: Partial<CheckResult> = {}) =>
      result('lifecycle.link_expiry', {
        expected: { lifetimeSeconds: [86400], expiredStatus: 403 },
        observed: [{ atSeconds: at, status: 403 }],
        ...over,
      });
    const c = compare(
      run([link(86401)]),
      run([link(3601, { status: 'fail', findings: [{ kind: 'link-expiry', message: 'early' }] })]),
    );
    expect(c.changes[0]).toMatchObject({
      fact: 'link.lifetime',
      direction: 'away',
      before: { value: [{ atSeconds: 86401 }] },
    });
  });

  it('a fact observed in one run only is listed as such, with why; an unjudged check is not a change', () => {
    const skipped = duration(0, { status: 'skip', message: 'not picked tonight (budget)', observed: undefined });
    const onlyBefore = compare(run([duration(5)]), run([skipped]));
    expect(onlyBefore.changes[0]).toMatchObject({ change: 'only-before', severity: 'INFO', before: { value: 5 } });
    expect(onlyBefore.changes[0]!.message).toContain('skipped in after.json: not picked tonight (budget)');
    const notRun = compare(run([]), run([duration(5)]));
    expect(notRun.changes[0]).toMatchObject({ change: 'only-after' });
    expect(notRun.changes[0]!.message).toContain('before.json did not run defaults.duration');

    const outage = duration(0, {
      status: 'error',
      message: '503 after 3 tries',
      observed: undefined,
      transient: { attempts: 3, evidence: [] },
    });
    const c = compare(run([duration(5)]), run([outage]));
    expect(c.changes).toEqual([]);
    expect(c.notCompared).toEqual([
      {
        provider: P,
        fact: 'default.duration',
        check: 'defaults.duration',
        unjudgedIn: 'after',
        reason: '503 after 3 tries',
        value: 5,
      },
    ]);
  });

  it('says when the runs differ in providers, target or spec, and marks changes under a changed spec', () => {
    const other = 'evolink-kling-v3-t2v';
    const c = compare(
      run([duration(5)], { target: 'mock' }),
      run([duration(6, followed6), { ...duration(5), provider: other }], {
        providers: [
          { id: P, baseUrl: 'http://x', spec: { version: 'v2', digest: 'd2' } },
          { id: other, baseUrl: 'http://y' },
        ],
      }),
    );
    expect(c.notes.join('\n')).toMatch(/different targets \(before\.json: mock, after\.json: live\)/);
    expect(c.notes.join('\n')).toContain(`only after.json ran ${other}`);
    expect(c.notes.join('\n')).toContain(
      `the spec of ${P} differs between the runs (version v1, digest d1 → version v2`,
    );
    expect(c.providers).toEqual([P]);
    expect(c.changes.find((x) => x.provider === P)!.specChanged).toBe(true);
    expect(c.changes.find((x) => x.provider === other)).toMatchObject({ change: 'only-after' });
    expect(c.changes.find((x) => x.provider === other)!.message).toContain(`before.json did not run ${other}`);
    // a results.json written before specs were recorded: not known, said so
    const old = compare(run([duration(5)], { providers: [{ id: P, baseUrl: 'http://x' }] }), run([duration(5)]));
    expect(old.notes.join()).toContain('before.json does not record which spec it read');
  });
});

describe('the pure parts', () => {
  it('direction: toward, away, between claims, within, neither, unknown', () => {
    expect(direction('undocumented', 'chosen')).toBe('toward');
    expect(direction('undocumented', 'other-claim')).toBe('toward');
    expect(direction('chosen', 'undocumented')).toBe('away');
    expect(direction('other-claim', 'chosen')).toBe('between-claims');
    expect(direction('chosen', 'chosen')).toBe('within-documents');
    expect(direction('undocumented', 'undocumented')).toBe('undocumented-both');
    expect(direction('unknown', 'chosen')).toBe('unknown');
  });

  it('fields of a body as pointers, array items as *; a value change in words', () => {
    expect(fieldsOf({ a: { b: 1 }, c: [{ d: 1 }, { e: 2 }], 'x/y': 0 })).toEqual([
      '/a',
      '/a/b',
      '/c',
      '/c/*/d',
      '/c/*/e',
      '/x~1y',
    ]);
    expect(valueChange(5, 6)).toBe('5 → 6');
    expect(valueChange(['a', 'b'], ['b', 'c'])).toBe('appeared c; vanished a');
  });
});
