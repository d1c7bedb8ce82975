// Jitter is judged per client (and the 429 waits are observed per client): two clients that each wait a fixed time
// after equal 429s fail, each named, even when their fixed waits differ from each other (pooled, the four waits would
// look jittered).
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../har/read-traffic.ts';
import { loadSpecById } from '../../spec/load-spec.ts';
import { compileValidators } from '../../validate/compile-validators.ts';
import { viewTraffic } from '../traffic-model.ts';
import { backoffJitter } from './jitter-check.ts';
import { waitAfter429 } from './retry-checks.ts';

const poll = (client: string, startedMs: number, status: number): Exchange => {
  const url = `http://127.0.0.1:1/v1/videos/generations/task-${client}`;
  return {
    index: 0,
    startedMs,
    durationMs: 0,
    method: 'GET',
    url,
    path: new URL(url).pathname,
    query: new URLSearchParams(),
    requestHeaders: new Map(),
    status,
    responseHeaders: new Map(),
    responseBody: status === 200 ? '{"status":"processing"}' : '{}',
    client,
    keyId: 'key-1',
    note: {},
    file: 'x.har',
  };
};

/** Two runs of one poll (429 without Retry-After, its retry `waitMs` later), the second 10 s after the first. */
const fixedWaits = (client: string, waitMs: number, offset: number) => [
  poll(client, offset, 429),
  poll(client, offset + waitMs, 200),
  poll(client, offset + 10_000, 429),
  poll(client, offset + 10_000 + waitMs, 200),
];

describe('traffic.backoff_jitter with several clients', () => {
  it('judges each client’s waits against its own only, and names each client without jitter', async () => {
    const spec = await loadSpecById('toapis-kling-3.0-turbo');
    const exchanges = [...fixedWaits('worker-a', 1000, 0), ...fixedWaits('worker-b', 1500, 100)]
      .sort((x, y) => x.startedMs - y.startedMs)
      .map((x, index) => ({ ...x, index }));
    const verdict = backoffJitter.evaluate(viewTraffic(spec, exchanges), compileValidators(spec));
    expect(verdict.status).toBe('fail');
    expect(verdict.findings?.map((f) => f.client)).toEqual(['worker-a', 'worker-b']);
    expect(verdict.message).toMatch(/^2 findings \(clients worker-a, worker-b\); first: client worker-a: the waits/);
  });
});

describe('traffic.wait_after_429 with several clients', () => {
  it('keeps each client’s waits apart in what it observed', async () => {
    const spec = await loadSpecById('toapis-kling-3.0-turbo');
    const exchanges = [...fixedWaits('worker-a', 1000, 0), ...fixedWaits('worker-b', 1500, 100)]
      .sort((x, y) => x.startedMs - y.startedMs)
      .map((x, index) => ({ ...x, index }));
    const verdict = waitAfter429.evaluate(viewTraffic(spec, exchanges), compileValidators(spec));
    expect(verdict.observed).toEqual({ waitsMs: { 'worker-a': [1000, 1000], 'worker-b': [1500, 1500] } });
  });
});
