// NEWCOMER #9: a traffic check's confidence follows the confidence of the fact it reads. Where its basis
// (docs/checks.md) is our reading — an `inferred` fact, or an expectation no document words — its findings warn and
// never fail without --strict; where a check is not required, it never fails; and the source a verdict prints is the
// fact its basis names. Judged on traffic that breaks every rule at once, for every shipped provider.
import { describe, expect, it } from 'vitest';
import { settle } from '../src/checks/engine.ts';
import { setAt } from '../src/core/json-pointer.ts';
import { describeSource } from '../src/spec/claims.ts';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { invalidRequestStatus } from '../src/spec/operations.ts';
import type { Call, TrafficView } from '../src/traffic/traffic-model.ts';
import { TRAFFIC_CHECKS } from '../src/traffic/traffic-checks.ts';
import { compileValidators } from '../src/validate/compile-validators.ts';
import { clientProfile } from './support/client-session.ts';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const LINK = 'https://cdn.example/v/1.mp4';

/** One client whose traffic breaks every rule a traffic check judges. */
function badTraffic(spec: ProviderSpec): TrafficView {
  const auth = `${spec.x.auth.prefix}sk-bad-client-0001`;
  const calls: Call[] = [];
  let t = T0;
  const add = (c: Partial<Call> & Pick<Call, 'operation' | 'status'>, gapMs = 10) => {
    t += gapMs;
    const json = c.json;
    calls.push({
      index: calls.length,
      startedMs: t,
      durationMs: 1,
      method: c.operation === 'create' ? 'POST' : 'GET',
      url: c.url ?? `https://gw.example/${c.operation}`,
      path: `/${c.operation}`,
      query: new URLSearchParams(),
      requestHeaders: new Map(c.requestHeaders ?? [[spec.x.auth.header.toLowerCase(), auth]]),
      requestBody: json === undefined ? undefined : JSON.stringify(json),
      responseHeaders: new Map(),
      client: 'c1',
      keyId: 'key-1',
      note: {},
      file: 'bad.har',
      ...c,
    });
  };
  const valid = (n: number) => {
    const body = structuredClone((JSON.parse(clientProfile(spec).KC_CREATE_BODIES!) as Record<string, unknown>[])[0]!);
    return { ...body, prompt: `job ${n}` };
  };
  const invalid = invalidRequestStatus(spec);
  // an invalid body sent again after its 400, a key sent again after its 401, one create without the auth header
  add({ operation: 'create', status: invalid, json: {} });
  add({ operation: 'create', status: invalid, json: {} });
  add({ operation: 'create', status: 401, json: valid(1) });
  add({ operation: 'create', status: 401, json: valid(1) });
  add({ operation: 'create', status: 200, json: valid(2), requestHeaders: new Map(), taskId: 'T2' });
  // a first frame to text-to-video
  const framed = valid(3) as Record<string, unknown>;
  for (const [pointer, value] of Object.entries(spec.x.firstFrame.set)) setAt(framed, pointer, value);
  add({ operation: 'create', status: 200, json: framed, taskId: 'T3' });
  // 429s retried at once, past any limit, without growing waits, without jitter, one with a Retry-After ignored
  for (let i = 0; i < 9; i++) add({ operation: 'create', status: 429, json: valid(4) }, 5);
  add({ operation: 'create', status: 200, json: valid(4), taskId: 'T4' }, 5);
  add({ operation: 'create', status: 429, json: valid(5) }, 5);
  add({ operation: 'create', status: 200, json: valid(5), taskId: 'T5' }, 5);
  add({ operation: 'create', status: 429, json: valid(6), responseHeaders: new Map([['retry-after', '1']]) });
  add({ operation: 'create', status: 200, json: valid(6), taskId: 'T6' }, 5);
  // a create sent again after its 500
  add({ operation: 'create', status: 500, json: valid(7) });
  add({ operation: 'create', status: 200, json: valid(7), taskId: 'T7' });
  // creates and polls far past any documented rate, tasks never finished
  for (let i = 0; i < 700; i++) add({ operation: 'create', status: 200, json: valid(100 + i), taskId: `R${i}` }, 1);
  for (let i = 0; i < 700; i++) add({ operation: 'poll', status: 200, taskId: 'T3', phase: 'running' }, 1);
  const end = spec.x.lifecycle.succeeded ?? 'succeeded';
  add({ operation: 'poll', status: 200, taskId: 'T3', phase: 'succeeded', word: end, resultUrl: LINK, expiresAtMs: t });
  add({ operation: 'poll', status: 200, taskId: 'T3', phase: 'succeeded', word: end });
  // a link fetched after its expiry, and again after it answered expired
  const expired = spec.x.resultLink.expired.status;
  add({ operation: 'download', status: expired, url: LINK }, 5000);
  add({ operation: 'download', status: expired, url: LINK });
  return { spec, clients: [{ client: 'c1', calls }], calls };
}

/**
 * ToAPIs with every source a traffic check reads marked our reading (and a first frame it rejects): the facts no
 * shipped spec has inferred today (auth form, rate limit, a documented rejection) still warn.
 */
function allInferred(spec: ProviderSpec): ProviderSpec {
  const s = structuredClone(spec);
  s.id = `${spec.id}-all-inferred`;
  s.x.firstFrame = { ...s.x.firstFrame, outcome: 'reject' };
  for (const source of [
    s.x.auth.source,
    s.x.firstFrame.source,
    s.x.rateLimit?.source,
    s.x.rateLimit?.scope?.source,
    s.x.resultLink.expired.source,
    ...Object.values(s.x.retry).map((a) => a.source),
    ...s.x.resultLink.lifetimeSeconds.map((c) => c.source),
  ])
    if (source) source.inferred = true;
  s.create.requestSchema = { ...s.create.requestSchema, 'x-source': { ref: 'x', part: 'x', inferred: true } };
  return s;
}

describe('every traffic check warns where its fact is our reading', async () => {
  const shipped = await loadAllSpecs();
  const specs = [...shipped, allInferred(shipped.find((s) => s.id === 'toapis-kling-3.0-turbo')!)];
  const judged = specs.flatMap((spec) => {
    const view = badTraffic(spec);
    const validators = compileValidators(spec);
    return TRAFFIC_CHECKS.map((check) => ({
      spec,
      check,
      basis: check.basis(spec),
      lenient: settle(check.evaluate(view, validators), false),
      strict: settle(check.evaluate(view, validators), true),
    }));
  });

  it.each(specs.map((s) => s.id))('%s: an inferred or not-required check never fails without --strict', (id) => {
    const failing = judged.filter(
      (j) => j.spec.id === id && j.basis.confidence !== 'documented' && j.lenient.status === 'fail',
    );
    expect(failing.map((j) => `${j.check.id} (${j.basis.confidence}): ${j.lenient.message}`)).toEqual([]);
  });

  it.each(specs.map((s) => s.id))('%s: a verdict cites the fact its basis names', (id) => {
    const apart = judged.filter(
      (j) =>
        j.spec.id === id &&
        j.basis.source &&
        j.strict.source &&
        !j.strict.source.includes(describeSource(j.spec.x, j.basis.source)),
    );
    expect(
      apart.map((j) => `${j.check.id}: ${j.strict.source} ≠ ${describeSource(j.spec.x, j.basis.source!)}`),
    ).toEqual([]);
  });

  it('the bad traffic meets every check somewhere (else the test above proves nothing)', () => {
    for (const check of TRAFFIC_CHECKS)
      expect(
        judged.some((j) => j.check === check && j.strict.status === 'fail'),
        `${check.id} never failed`,
      ).toBe(true);
  });
});
