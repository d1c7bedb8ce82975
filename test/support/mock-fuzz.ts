// The seeded fuzz of the HTTP mock (test/mock-fuzz.test.ts runs a small one in npm test; scripts/mock-fuzz.ts a
// large one): random methods, paths, headers and bodies (valid, mutated, deep, not UTF-8, not JSON, too large).
import { Agent, request } from 'undici';
import type { RunningMock } from '../../src/mock/start-mocks.ts';
import type { ProviderSpec } from '../../src/spec/model.ts';

export const FUZZ_SEED = 20261125;

/** mulberry32: small, seeded, reproducible */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function fuzzCase(
  rand: () => number,
  spec: ProviderSpec,
): { method: string; path: string; headers: Record<string, string>; body?: Uint8Array | string } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const value = (depth: number): unknown => {
    const k = rand();
    if (depth > 4 || k < 0.3)
      return pick([
        null,
        true,
        0,
        -1,
        Number.MAX_VALUE * 10 === Infinity ? 1e300 : 0,
        3.5,
        '',
        'x',
        '16:9',
        '720p',
        '猫'.repeat(3000),
        'a'.repeat(5000),
        '\u0000',
        '\ud800',
      ]);
    if (k < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
    return Object.fromEntries(
      Array.from({ length: Math.floor(rand() * 4) }, () => [
        pick(['prompt', 'duration', 'model', 'contents', 'settings', 'options', 'callback_url', 'x']),
        value(depth + 1),
      ]),
    );
  };
  const example = structuredClone(spec.create.examples[0]?.value ?? {}) as Record<string, unknown>;
  const bodies: (() => Uint8Array | string | undefined)[] = [
    () => JSON.stringify(example),
    () => JSON.stringify({ ...example, [pick(Object.keys(example).concat('prompt'))]: value(0) }),
    () => JSON.stringify(value(0)),
    () => `{"a": ${'['.repeat(100 + Math.floor(rand() * 3000))}`,
    () => new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    () => 'not json at all',
    () => 'null',
    () => undefined,
  ];
  // an oversized body (413) now and then: each is a megabyte on the wire
  if (rand() < 0.02)
    return {
      method: 'POST',
      path: spec.create.path,
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: 'x'.repeat(1024 * 1024 + 10),
    };
  const idPath = spec.poll.path.replace(
    /\{[^}]+\}/,
    pick(['abc', '%ff', '%2e%2e', 'x'.repeat(5000), `${spec.x.responses.taskIdPrefix}000001`, '']),
  );
  const path = pick([
    spec.create.path,
    spec.create.path,
    idPath,
    `${idPath}?task_ids=%zz`,
    '/__mock/tasks',
    '/__mock/tasks?limit=2&after=x',
    '/__mock/requests?scenarioId=%ff',
    '/__mock/info',
    '/__mock/clock',
    '/__mock/scenario',
    '/',
    '/%',
    '/v1/../../etc/passwd',
    `/${'a/'.repeat(500)}`,
  ]);
  const headers: Record<string, string> = {};
  const auth = rand();
  if (auth < 0.6) headers.authorization = 'Bearer k';
  else if (auth < 0.8)
    headers.authorization = pick(['Bearer', 'Basic abc', `Bearer ${'x'.repeat(3000)}`, 'bearer k', 'Key k']);
  if (rand() < 0.8)
    headers['content-type'] = pick([
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/jsonx',
    ]);
  // scenario steps, but none that asks for a 5xx, a reset or a delay: whatever 5xx comes back was not asked for
  if (rand() < 0.2)
    headers['x-mock-scenario'] = pick([
      'ok',
      '429',
      '429:3',
      '429@1',
      'teapot',
      '1000',
      'fail,policy',
      'never',
      ',,,',
      'delay:-1',
      '400,401',
      '204',
      'malformed',
    ]);
  if (rand() < 0.2) headers['x-mock-scenario-id'] = String(Math.floor(rand() * 50));
  return {
    method: pick(['GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE']),
    path,
    headers,
    body: bodies[Math.floor(rand() * bodies.length)]!(),
  };
}

/** What a fuzz run saw: 5xx answers no scenario asked for, requests never answered, requests that reached the mock. */
export interface FuzzOutcome {
  unexpected: string[];
  hangs: number;
  sent: number;
  ms: number;
}

/** Sends `requests` seeded random requests over 32 connections, spread over the running mocks. */
export async function runFuzz(mocks: RunningMock[], specs: ProviderSpec[], requests: number, seed = FUZZ_SEED) {
  const rand = prng(seed);
  const agent = new Agent({ connections: 32 });
  const outcome: FuzzOutcome = { unexpected: [], hangs: 0, sent: 0, ms: 0 };
  const started = performance.now();
  const cases = Array.from({ length: requests }, () => {
    const mock = mocks[Math.floor(rand() * mocks.length)]!;
    return { mock, c: fuzzCase(rand, specs.find((s) => s.id === mock.provider)!) };
  });
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const { mock, c } = cases[next++]!;
      try {
        const res = await request(`${mock.url}${c.path}`, {
          method: c.method as never,
          headers: c.headers,
          body: c.method === 'GET' || c.method === 'HEAD' ? undefined : c.body,
          dispatcher: agent,
          signal: AbortSignal.timeout(10_000),
        });
        await res.body.dump();
        outcome.sent += 1;
        if (res.statusCode >= 500)
          outcome.unexpected.push(
            `${res.statusCode} ${c.method} ${c.path.slice(0, 80)} ${JSON.stringify(c.headers).slice(0, 120)}`,
          );
      } catch (err) {
        const e = err as Error & { code?: string; name?: string };
        if (e.name === 'TimeoutError' || e.name === 'AbortError') outcome.hangs += 1;
        else if (
          !['UND_ERR_INVALID_ARG', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_CHAR', 'UND_ERR_NOT_SUPPORTED'].includes(
            e.code ?? '',
          )
        )
          outcome.sent += 1; // a dropped connection (413 mid-upload) counts as answered
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  await agent.close();
  outcome.ms = Math.round(performance.now() - started);
  return outcome;
}
