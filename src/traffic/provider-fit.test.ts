// Whose traffic a HAR another tool exported is: the spec whose documented operations place its requests, the exact
// documented path (no base path before it) winning over a match through a base path.
import { beforeAll, describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import type { Exchange, Traffic } from '../har/read-traffic.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { scopeTraffic } from './provider-fit.ts';

const exchange = (index: number, method: string, url: string, responseBody = '{}'): Exchange => ({
  index,
  startedMs: 1_000 * index,
  durationMs: 5,
  method,
  url,
  path: new URL(url).pathname,
  query: new URL(url).searchParams,
  requestHeaders: new Map([['authorization', 'Bearer k']]),
  requestBody: method === 'POST' ? '{"prompt":"a fox"}' : undefined,
  status: 200,
  responseHeaders: new Map(),
  responseBody,
  client: 'key-1',
  keyId: 'key-1',
  note: {},
  file: 'x.har',
});

const traffic = (exchanges: Exchange[]): Traffic => ({
  exchanges,
  meta: [],
  files: ['x.har'],
  logs: [{ file: 'x.har' }],
});

/** A create and a poll on `base` + the paths EvoLink documents (API in One documents the same under /api). */
const session = (base: string) =>
  traffic([
    exchange(0, 'POST', `${base}/v1/videos/generations`, '{"id":"t1"}'),
    exchange(1, 'GET', `${base}/v1/tasks/t1`, '{"id":"t1","status":"completed"}'),
  ]);

describe('scopeTraffic on a HAR without our notes', () => {
  let specs: ProviderSpec[];
  const spec = (id: string) => specs.find((s) => s.id === id)!;
  beforeAll(async () => {
    specs = await loadAllSpecs();
  });

  it('judges EvoLink traffic as EvoLink’s, though API in One’s paths under /api would match it too', () => {
    const scope = scopeTraffic(spec('evolink-kling-v3-t2v'), session('https://gw.test'), specs);
    expect(scope.view.calls.map((c) => c.operation)).toEqual(['create', 'poll']);
    expect(scope.leftOut).toBeUndefined();
  });

  it('an empty HAR is EMPTY_HAR, not another provider’s traffic', () => {
    expect(() => scopeTraffic(spec('evolink-kling-v3-t2v'), traffic([]), specs)).toThrow(
      expect.objectContaining({ code: 'EMPTY_HAR', file: 'x.har', message: expect.stringContaining('no entries') }),
    );
  });

  it('refuses API in One’s traffic as EvoLink’s: API in One documents those exact paths', () => {
    let refused: unknown;
    try {
      scopeTraffic(spec('evolink-kling-v3-t2v'), session('https://gw.test/api'), specs);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(HarnessError);
    expect(refused).toMatchObject({ code: 'WRONG_PROVIDER', file: 'x.har' });
    expect((refused as HarnessError).message).toContain("looks like apiinone-kling-3's traffic");
    // as API in One's, the same traffic is judged
    expect(scopeTraffic(spec('apiinone-kling-3'), session('https://gw.test/api'), specs).leftOut).toBeUndefined();
  });

  it('leaves out and counts the entries no documented operation places, naming whose they look like', () => {
    const mixed = session('https://gw.test');
    mixed.exchanges.push(
      exchange(2, 'POST', 'https://gw.test/kling/text-to-video/kling-3.0-turbo', '{"data":{"task_id":"a"}}'),
      exchange(3, 'GET', 'https://cdn.test/app.js'),
    );
    const scope = scopeTraffic(spec('evolink-kling-v3-t2v'), mixed, specs);
    expect(scope.view.calls).toHaveLength(2);
    expect(scope.leftOut?.entries).toBe(2);
    expect(scope.leftOut?.why).toMatch(/^2 of 4 entries fit none of evolink-kling-v3-t2v's documented operations/);
    expect(scope.leftOut?.why).toContain("1 of them fit aimanyi-kling-3.0-turbo's");
  });
});
