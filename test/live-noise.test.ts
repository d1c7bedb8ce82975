// Noise is not a contract breach: a faithful gateway that also answers a documented 429 (with Retry-After) on every
// 5th request and a 500 that creates nothing on every 4th create gets no `fail`, no task created twice, and every
// noisy exchange named (method, URL, status, which try) in a transient finding — the ones the harness sent again
// itself and the ones a client's own retry loop sent again.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/engine.ts';
import { summarise } from '../src/checks/probes/exchange-summary.ts';
import type { CheckDefinition, CheckResult } from '../src/checks/types.ts';
import { GatewayClient } from '../src/client/gateway-client.ts';
import { VirtualClock } from '../src/core/clock.ts';
import type { Deviation } from './support/deviating-mock.ts';
import { adapter as naiveAdapter } from '../fixtures/adapters/naive-retry-adapter.ts';
import { liveContext, runEveryCheck, runOneCheck, startLiveGateway } from './support/live-gateway.ts';

const json = (status: number, body: unknown, headers: Record<string, string>) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** Each noisy answer the gateway gave, with the request id it gave it under. */
interface Noise {
  method: string;
  url: string;
  status: number;
  id: string;
}

/**
 * The documented noise: 429 (Retry-After 1) on every 5th request, 500 creating nothing on every 4th create (every
 * `every500`th: 0 for none).
 */
function noisyGateway(noisy: Noise[], acceptedCreates: Map<string, number>, every500 = 4): Deviation {
  let requests = 0;
  let creates = 0;
  const answer = (req: Request, status: number, code: string, headers: Record<string, string> = {}) => {
    const id = `noise-${noisy.length + 1}`;
    noisy.push({ method: req.method, url: req.url, status, id });
    return json(status, { error: { code, message: 'try again' } }, { 'x-request-id': id, ...headers });
  };
  return {
    request: (req, x) => {
      if (x.operation === 'admin' || x.operation === 'video') return req;
      if (++requests % 5 === 0) return answer(req, 429, 'rate_limit_exceeded', { 'retry-after': '1' });
      if (x.operation === 'create' && every500 && ++creates % every500 === 0) return answer(req, 500, 'service_error');
      return req;
    },
    response: (res, req, x) => {
      const trace = req.headers.get('x-mock-scenario-id') ?? '';
      if (x.operation === 'create' && res.status >= 200 && res.status < 300)
        acceptedCreates.set(trace, (acceptedCreates.get(trace) ?? 0) + 1);
      return res;
    },
  };
}

/** Every line naming a noisy exchange in the transient findings of these results. */
const namedNoise = (results: CheckResult[]) =>
  results
    .flatMap((r) => r.findings ?? [])
    .filter((f) => f.kind === 'transient')
    .flatMap((f) => (Array.isArray(f.observed) ? (f.observed as string[]) : []));

/**
 * The line names this exchange: its method, URL, status, the task it belongs to (none for a create that made none)
 * and which try of its request it was, and the gateway's request id.
 */
const names = (line: string, n: Noise) =>
  line.startsWith(`${n.method} ${n.url} → ${n.status} (`) &&
  /\((?:task [^:;]+|no task): (?:create|poll|result|cancel) attempt \d+, /.test(line) &&
  line.includes(`request id ${n.id}`);

describe('a faithful gateway with documented noise (429 every 5th request, 500 every 4th create)', () => {
  let results: CheckResult[];
  const noisy: Noise[] = [];
  const acceptedCreates = new Map<string, number>();

  beforeAll(async () => {
    const gateway = await startLiveGateway('sk-noise-key', noisyGateway(noisy, acceptedCreates));
    results = await runEveryCheck({ ...liveContext(gateway), sleep: () => Promise.resolve() });
  }, 240_000);

  it('gets no fail: noise ends as a pass or as error with a transient finding', () => {
    expect(noisy.length).toBeGreaterThan(3);
    expect(results.filter((r) => r.status === 'fail').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    for (const r of results.filter((x) => x.status === 'error'))
      expect(
        r.findings?.some((f) => f.kind === 'transient'),
        `${r.id}: ${r.message}`,
      ).toBe(true);
  });

  it('never creates a billable task twice for the same request', () => {
    const twice = [...acceptedCreates].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    expect(acceptedCreates.size).toBeGreaterThan(1);
  });

  it('names every noisy exchange in a transient finding: method, URL, status and which try it was', () => {
    const named = namedNoise(results);
    const unnamed = noisy.filter((n) => !named.some((line) => names(line, n)));
    expect(unnamed).toEqual([]);
  });
});

describe("noise inside a client's own retry loop", () => {
  it('is named in a transient finding, each retried answer with its try, not only counted', async () => {
    const noisy: Noise[] = [];
    // 429s only: a create without an idempotency key is not sent again after a 500 (it may have made a task)
    const gateway = await startLiveGateway('sk-noise-key', noisyGateway(noisy, new Map(), 0));
    // the reference client with the documented retry advice on (as a --client adapter built on it runs), on a
    // virtual clock: its RetryAgent sends the noisy creates again itself
    const client = new GatewayClient(gateway.spec, {
      baseUrl: gateway.url,
      apiKey: gateway.key,
      clock: new VirtualClock(Date.now(), { autoAdvance: true }),
    });
    const creates: CheckDefinition = {
      id: 'shape.create',
      family: 'shape',
      title: 'creates through a retrying client',
      cost: 'free',
      target: 'any',
      probe: async () => {
        const out = [];
        for (let i = 0; i < 12; i++)
          out.push(summarise(await client.createTask(gateway.spec.create.examples[0]!.value)));
        return out;
      },
      evaluate: (_spec, obs) => ({
        status: (obs as { status?: number }[]).every((x) => x.status === 200) ? 'pass' : 'fail',
        message: 'every create answered 200 in the end',
      }),
    };
    const r = await runCheck(creates, liveContext(gateway));
    await client.close();
    expect(r.status, r.message).toBe('pass');
    expect(noisy.length).toBeGreaterThan(1);
    const named = namedNoise([r]);
    expect(noisy.filter((n) => !named.some((line) => names(line, n)))).toEqual([]);
    expect(named).toHaveLength(noisy.length);
    // each create retried by the client's loop made its task in the end: its noisy tries are labelled with it
    expect(named.filter((line) => !/\(task [^:;]+: create attempt \d+, /.test(line))).toEqual([]);
  }, 60_000);
});

describe("a --client adapter's retry loop", () => {
  it('has every request it sent named in the retry check, with its status and which try it was', async () => {
    const gateway = await startLiveGateway('sk-noise-key');
    const r = await runOneCheck(liveContext(gateway, { target: 'mock', adapter: naiveAdapter }), 'retry.429.backoff');
    const runs = r.observed as { attempts: number; answers: string[] }[];
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.answers).toHaveLength(run.attempts);
      expect(run.answers[0]).toBe(`POST ${gateway.url}/v1/videos/generations → 429 (attempt 1)`);
    }
  }, 60_000);
});

describe('a task that never ends on a live target', () => {
  it('fails lifecycle.terminal at its own deadline (--task-timeout), later checks still run', async () => {
    const gateway = await startLiveGateway('sk-noise-key', {
      request: (req, x) => {
        if (x.operation !== 'create') return req;
        const headers = new Headers(req.headers);
        headers.set('x-mock-scenario', 'never');
        return new Request(req.url, { method: req.method, headers, body: req.body, duplex: 'half' } as RequestInit);
      },
    });
    const ctx = liveContext(gateway, {
      pollIntervalMs: 50,
      timeoutSeconds: 600,
      taskTimeoutSeconds: 1,
      deadlineAt: Date.now() + 600_000,
    });
    const terminal = await runOneCheck(ctx, 'lifecycle.terminal');
    expect(terminal.status, terminal.message).toBe('fail');
    expect(terminal.message).toContain('task deadline of 1 s');
    const later = await runOneCheck(ctx, 'auth.missing_key');
    expect(later.status, later.message).toBe('pass');
  }, 60_000);
});
