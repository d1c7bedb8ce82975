// Bad Python clients run against a recording mock with a fault plan; verify-client judges the HAR of each real run:
// each one fails with the check that names its mistake (the good clients: good-client-every-provider.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { GOOD_CLIENTS, PYTHON, recordSession, type FixtureClient } from './support/client-session.ts';

type Session = [provider: string, plan: string, client: FixtureClient];

/** Records the sessions at once, then judges them (judging blocks the event loop the mocks time requests on). */
async function judgeAll(sessions: Session[]) {
  const recorded = await Promise.all(sessions.map((session) => recordSession(...session)));
  return Promise.all(
    recorded.map(async (session, i) => {
      const results = verifyClient(await loadSpecById(sessions[i]![0]), [session.har], true);
      const status = Object.fromEntries(results.results.map((r) => [r.id, r.status]));
      return { ...session, results, status };
    }),
  );
}

type Judged = Awaited<ReturnType<typeof judgeAll>>[number];
const judge = async (...session: Session): Promise<Judged> => (await judgeAll([session]))[0]!;

const failing = (status: Record<string, string>) =>
  Object.entries(status)
    .filter(([, s]) => s === 'fail')
    .map(([id]) => id)
    .sort();

/** A plan file: each client's first create is answered with the documented 400. */
const CREATE_400 = 'fixtures/clients/plans/create-400.yaml';

/**
 * A good client with one mistake each (fixtures/clients/python), the plan that meets it, the check that names it (and
 * the environment that picks the mistake's form, where the client has one).
 */
const ONE_MISTAKE: [script: string, plan: string, check: string, message: RegExp, env?: Record<string, string>][] = [
  ['retries_400_client.py', CREATE_400, 'traffic.no_retry_after_4xx', /after its 400/],
  [
    'no_wait_429_client.py',
    'documented',
    'traffic.wait_after_429',
    /the 1\.0 s the answer.s "Retry-After: 1" asked for was owed/,
  ],
  ['recreate_500_client.py', 'documented', 'traffic.no_duplicate_after_500', /again after its 500/],
  ['fast_poll_client.py', 'documented', 'traffic.poll_rate', /less than 1\.0 s apart/],
  ['first_frame_client.py', 'documented', 'traffic.first_frame', /sends a first frame at \/image_url/],
  // NEWCOMER-7 F1: another API's spelling of a first frame, which EvoLink's schema does not document
  [
    'first_frame_client.py',
    'documented',
    'traffic.first_frame',
    /sends "first_frame", a first-frame field of other video APIs/,
    { KC_FIRST_FRAME_FIELD: 'first_frame' },
  ],
  ['extra_key_client.py', 'documented', 'traffic.request_schema', /"seed" is not a field of the documented request/],
];

describe('verify-client on recorded sessions of fixture clients', () => {
  // the sessions whose timing is not judged within 100 ms start together, as the describe block is collected
  const batch = judgeAll([
    ...ONE_MISTAKE.map(
      ([script, plan, , , env]): Session => ['evolink-kling-v3-t2v', plan, { command: PYTHON(script), env }],
    ),
    // the control: the good clients meet the same 400 and leave it alone (the documented plan brings no 400)
    ...Object.values(GOOD_CLIENTS).map((client): Session => ['evolink-kling-v3-t2v', CREATE_400, client]),
  ]);
  const oneMistakeRuns = batch.then((runs) => runs.slice(0, ONE_MISTAKE.length));
  const good400Runs = batch.then((runs) => runs.slice(ONE_MISTAKE.length));

  it('fails each one-mistake Python client with exactly the check that names its mistake', async () => {
    const runs = await oneMistakeRuns;
    for (const [i, [script, , check, message]] of ONE_MISTAKE.entries()) {
      const run = runs[i]!;
      expect(run.code, run.output).toBe(0);
      expect(failing(run.status), `${script}\n${run.output}`).toEqual([check]);
      const result = run.results.results.find((r) => r.id === check)!;
      expect(result.findings?.map((f) => f.message).join('\n'), script).toMatch(message);
    }
  }, 120_000);

  it('warns on an undocumented key by default, naming it, and says what it checked when it passes', async () => {
    const runs = await oneMistakeRuns;
    const spec = await loadSpecById('evolink-kling-v3-t2v');
    const lenient = (i: number, id: string) =>
      verifyClient(spec, [runs[i]!.har], false).results.find((r) => r.id === id)!;
    const firstFrameKey = ONE_MISTAKE.findIndex(([, , , , env]) => env?.KC_FIRST_FRAME_FIELD === 'first_frame');
    const frame = lenient(firstFrameKey, 'traffic.first_frame');
    expect(frame.status).toBe('warn');
    expect(frame.findings?.[0]).toMatchObject({ pointer: '/first_frame', inferred: true });
    // one mistake, one check: the first-frame key is traffic.first_frame's, not also the schema check's
    expect(lenient(firstFrameKey, 'traffic.request_schema').status).toBe('pass');
    const extra = lenient(
      ONE_MISTAKE.findIndex(([script]) => script === 'extra_key_client.py'),
      'traffic.request_schema',
    );
    expect(extra.status).toBe('warn');
    expect(extra.findings?.[0]).toMatchObject({ pointer: '/seed', observed: 7, inferred: true });
    // a pass says which fields it read, not that no first frame was sent at all
    const passed = lenient(
      ONE_MISTAKE.findIndex(([script]) => script === 'extra_key_client.py'),
      'traffic.first_frame',
    );
    expect(passed.status).toBe('pass');
    expect(passed.message).toMatch(
      /none with a first frame at \/image_url \(the spec's first-frame field\) or under .*first_frame/,
    );
  }, 120_000);

  it('passes the good clients in all three languages after a 400: none sends it again', async () => {
    for (const run of await good400Runs) {
      expect(run.code, run.output).toBe(0);
      expect(failing(run.status), run.output).toEqual([]);
      expect(run.status['traffic.no_retry_after_4xx'], run.output).toBe('pass');
    }
  }, 120_000);

  it('fails the bad Python client with one named check per mistake', async () => {
    const run = await judge('evolink-kling-v3-t2v', 'documented', { command: PYTHON('bad_client.py') });
    expect(run.code, run.output).toBe(0);
    const named = {
      'traffic.no_retry_after_4xx': /repeats .* after its 400 with the same body and key/,
      'traffic.wait_after_429': /after a 429: the 1\.0 s the answer.s "Retry-After: 1" asked for was owed/,
      'traffic.no_duplicate_after_500': /again after its 500/,
      'traffic.poll_rate': /polled .* less than 1\.0 s apart/,
      'traffic.first_frame': /sends a first frame at \/image_url/,
    };
    for (const [id, message] of Object.entries(named)) {
      const result = run.results.results.find((r) => r.id === id)!;
      expect(result.status, id).toBe('fail');
      expect(result.findings?.map((f) => f.message).join('\n')).toMatch(message);
    }
    // its invalid body is a mistake of its own; nothing else fails
    expect(failing(run.status)).toEqual([...Object.keys(named), 'traffic.request_schema'].sort());
    // without --strict the findings that rest on our readings warn; the documented ones still fail
    const lenient = verifyClient(await loadSpecById('evolink-kling-v3-t2v'), [run.har], false);
    expect(lenient.summary.fail).toBeGreaterThan(0);
    expect(lenient.results.find((r) => r.id === 'traffic.poll_rate')?.status).toBe('warn');
  }, 60_000);

  it('judges jitter on real timestamps where the documents prescribe it (ToAPIs), not elsewhere', async () => {
    const [toapis, evolink] = (await judgeAll([
      ['toapis-kling-3.0-turbo', 'documented', { command: PYTHON('fixed_wait_client.py') }],
      ['evolink-kling-v3-t2v', 'documented', { command: PYTHON('fixed_wait_client.py') }],
    ])) as [Judged, Judged];
    // fixed waits after two equal 429s (no Retry-After, a poll's first retry): the one mistake, named
    expect(failing(toapis.status), toapis.output).toEqual(['traffic.backoff_jitter']);
    const jitter = toapis.results.results.find((r) => r.id === 'traffic.backoff_jitter')!;
    expect(jitter.findings?.[0]?.message).toMatch(/poll retry 1 .* were \d+ \/ \d+ ms: within 100 ms/);
    // EvoLink's documents say "backoff", not jitter: not required, and said so
    expect(failing(evolink.status)).toEqual([]);
    expect(evolink.results.results.find((r) => r.id === 'traffic.backoff_jitter')?.message).toMatch(
      /our reading .*not required/,
    );
  }, 120_000);

  it('names a missing auth prefix, and records no key in any form', async () => {
    const run = await judge('evolink-kling-v3-t2v', 'none', {
      command: PYTHON('bad_auth_client.py'),
      env: { KC_API_KEY: 'sk-live-secret-7f3a9c' },
    });
    expect(run.status['traffic.auth_header']).toBe('fail');
    expect(run.status['traffic.wait_after_429']).toBe('skip');
    expect(readFileSync(run.har, 'utf8')).not.toMatch(/7f3a9c|sk-live/);
  }, 60_000);
});
