// A documented rate limit is counted at its documented scope (rateLimit.scope): ToAPIs counts per user, so three
// workers that each stay under the limit can together pass it. Recorded from a real in-process ToAPIs mock run (three
// clients, two keys), then re-timed: the recorder stamps real time, and the test sets each request's start so that the
// traffic's rate is what the test says, with no sleep.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/checks/types.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { getAt } from '../src/core/json-pointer.ts';
import type { Har } from '../src/har/har-types.ts';
import { startMocks, stopMocks } from '../src/mock/start-mocks.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import type { Rate, RateScope } from '../src/spec/error-model.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { clientProfile } from './support/client-session.ts';
import { tempFolder } from './support/temp-folder.ts';

const TOAPIS = 'toapis-kling-3.0-turbo';
const CREATES = 20;
const POLLS = 200;
/** worker-a and worker-b share a key (two workers of one key); worker-c has its own */
const WORKERS = [
  { client: 'worker-a', key: 'sk-rate-scope-key-0001' },
  { client: 'worker-b', key: 'sk-rate-scope-key-0001' },
  { client: 'worker-c', key: 'sk-rate-scope-key-0002' },
];

/** One worker: CREATES creates, then POLLS polls of its tasks in turn, each sent as soon as the one before answered. */
async function worker(base: string, spec: ProviderSpec, client: string, key: string): Promise<void> {
  const p = clientProfile(spec);
  const headers = {
    [p.KC_AUTH_HEADER!]: `${p.KC_AUTH_PREFIX}${key}`,
    'content-type': 'application/json',
    'x-client-id': client,
  };
  const body = JSON.stringify((JSON.parse(p.KC_CREATE_BODIES!) as unknown[])[0]);
  const ids: string[] = [];
  for (let i = 0; i < CREATES; i++) {
    const created = await (await fetch(`${base}${p.KC_CREATE_PATH}`, { method: 'POST', headers, body })).json();
    ids.push(getAt(created, p.KC_ID_POINTERS!.split(',')[0]!) as string);
  }
  for (let i = 0; i < POLLS; i++)
    await (await fetch(`${base}${p.KC_POLL_PATH!.replace('{id}', ids[i % CREATES]!)}`, { headers })).text();
}

/**
 * Each worker's first poll is answered 429 (a fault the plan meets every client with). Then the recording is re-timed:
 * all creates within 0.95 s, then all polls within the next 0.95 s, in the order they were sent.
 */
async function recordThreeWorkers(spec: ProviderSpec): Promise<string> {
  const har = join(tempFolder('kc-rate-scope-'), 'workers.har');
  const plan = {
    name: 'first-poll-429',
    seed: 1,
    faults: [{ id: 'poll-429', operation: 'poll' as const, at: 1, step: '429' }],
  };
  const [mock] = await startMocks([spec], {
    clock: new VirtualClock(),
    completeAfterPolls: 1000,
    record: { file: har },
    faults: plan,
  });
  try {
    await Promise.all(WORKERS.map((w) => worker(mock!.url, spec, w.client, w.key)));
  } finally {
    await stopMocks([mock!]);
  }
  const doc = JSON.parse(readFileSync(har, 'utf8')) as Har;
  const start = Date.parse(doc.log.entries[0]!.startedDateTime);
  const retime = (entries: Har['log']['entries'], from: number) =>
    entries.forEach((e, i) => {
      const at = from + Math.floor((i * 950) / entries.length);
      e.startedDateTime = new Date(start + at).toISOString();
      if (e._kc) e._kc.monotonicMs = at;
    });
  retime(
    doc.log.entries.filter((e) => e.request.method === 'POST'),
    0,
  );
  retime(
    doc.log.entries.filter((e) => e.request.method === 'GET'),
    2000,
  );
  writeFileSync(har, JSON.stringify(doc));
  return har;
}

/** ToAPIs' spec with another rate limit or scope: what a provider documenting it would be judged on. */
const documenting = (spec: ProviderSpec, poll: Rate, scope: Partial<RateScope> | undefined): ProviderSpec => {
  const rateLimit = { ...spec.x.rateLimit!, poll };
  if (scope) rateLimit.scope = { ...spec.x.rateLimit!.scope!, ...scope };
  else delete rateLimit.scope;
  return { ...spec, x: { ...spec.x, rateLimit } };
};

const check = (spec: ProviderSpec, har: string, id: string, strict = false): CheckResult =>
  verifyClient(spec, [har], strict).results.find((r) => r.id === id)!;
/** the rate findings (the one-poll-a-second-per-task findings are the same check's other reading) */
const rateFindings = (r: CheckResult) => (r.findings ?? []).filter((f) => /counted per/.test(f.message));

describe('a documented rate limit counted at its documented scope', () => {
  let har: string;
  let toapis: ProviderSpec;
  beforeAll(async () => {
    toapis = await loadSpecById(TOAPIS);
    har = await recordThreeWorkers(toapis);
  }, 60_000);

  it('ToAPIs counts per user: three workers each under the poll and create limits fail together', () => {
    expect(toapis.x.rateLimit?.scope).toMatchObject({ per: 'user', countsRejected: false });
    const polls = check(toapis, har, 'traffic.poll_rate');
    expect(polls.status).toBe('fail');
    // 600 polls in one second, 3 of them answered 429 (not counted): 597 over the documented 50 + a burst of 500
    expect(rateFindings(polls)).toEqual([
      expect.objectContaining({
        message:
          "597 polls in one second from the user's traffic (clients worker-a 199, worker-b 199, worker-c 199): " +
          'the documented limit is 550, counted per user, answers 429 not counted',
        expected: 550,
        observed: 597,
      }),
    ]);
    expect(rateFindings(polls)[0]!.inferred).toBeFalsy();
    expect(polls.source).toMatch(/counted per user: .*per user ID, not per token/);
    const creates = check(toapis, har, 'traffic.create_rate');
    expect(creates.status).toBe('fail');
    expect(creates.message).toMatch(/^60 creates in one second from the user's traffic \(clients worker-a 20, /);
  });

  it('judges the same traffic per key and per client where that is the documented scope', () => {
    // under ToAPIs' own limit, each key (398 and 199 polls) and each client (199) is within it
    expect(
      rateFindings(check(documenting(toapis, toapis.x.rateLimit!.poll!, { per: 'key' }), har, 'traffic.poll_rate')),
    ).toEqual([]);
    // a limit of 300 a second: the user's 597 pass it; so do the key worker-a and worker-b share (398); each client's
    // 199 does not
    const limit300 = { perSecond: 100, burst: 200 };
    const user = rateFindings(check(documenting(toapis, limit300, {}), har, 'traffic.poll_rate'));
    expect(user.map((f) => f.message)).toEqual([expect.stringMatching(/^597 polls .* counted per user/)]);
    const key = rateFindings(check(documenting(toapis, limit300, { per: 'key' }), har, 'traffic.poll_rate'));
    expect(key).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          /^398 polls in one second from key key-[0-9a-f]{12} \(clients worker-a 199, worker-b 199\): .*per key/,
        ),
        observed: 398,
      }),
    ]);
    expect(key[0]!.client).toBeUndefined();
    expect(rateFindings(check(documenting(toapis, limit300, { per: 'client' }), har, 'traffic.poll_rate'))).toEqual([]);
    // a limit of 150: every client is over it on its own, and each finding is that client's
    const perClient = rateFindings(
      check(documenting(toapis, { perSecond: 50, burst: 100 }, { per: 'client' }), har, 'traffic.poll_rate'),
    );
    expect(perClient.map((f) => [f.client, f.observed])).toEqual([
      ['worker-a', 199],
      ['worker-b', 199],
      ['worker-c', 199],
    ]);
  });

  it('leaves out the answers 429 only where the documents say they do not count', () => {
    // a limit of 598: the 597 counted polls pass it; counting the three 429s (600) would not
    const limit598 = { perSecond: 98, burst: 500 };
    expect(rateFindings(check(documenting(toapis, limit598, {}), har, 'traffic.poll_rate'))).toEqual([]);
    const counted = rateFindings(
      check(documenting(toapis, limit598, { countsRejected: true }), har, 'traffic.poll_rate'),
    );
    expect(counted.map((f) => [f.observed, Boolean(f.inferred)])).toEqual([[600, false]]);
    // undocumented: the 429s are counted as our reading, so the finding that rests on them warns
    const unsaid = documenting(toapis, limit598, {});
    delete unsaid.x.rateLimit!.scope!.countsRejected;
    expect(rateFindings(check(unsaid, har, 'traffic.poll_rate')).map((f) => [f.observed, f.inferred])).toEqual([
      [600, true],
    ]);
  });

  it('reads an undocumented scope per key as our reading: it warns, and fails only with --strict', () => {
    const unsaid = documenting(toapis, { perSecond: 100, burst: 200 }, undefined);
    const lenient = check(unsaid, har, 'traffic.poll_rate');
    expect(lenient.status).toBe('warn');
    expect(rateFindings(lenient)).toEqual([
      expect.objectContaining({
        observed: 400,
        inferred: true,
        message: expect.stringMatching(/per key \(our reading\)/),
      }),
    ]);
    expect(lenient.source).toMatch(/counted per key: inferred/);
    expect(check(unsaid, har, 'traffic.poll_rate', true).status).toBe('fail');
  });
});
