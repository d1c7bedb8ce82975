// Shared by test/checks-can-fail*.test.ts. "A test must be able to fail": every (provider, check) pair that can run on
// some target passes (or, by design,
// observes) against the faithful mock and fails against a gateway — or a client — that breaks exactly the
// behaviour it checks. Pairs that can run nowhere are listed with why. Gateways that deviate are msw handlers in
// front of the generated mock (test/support/deviating-mock.ts): the shipped mock has no fault switches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupeKey } from '../../src/spec/dedupe-key.ts';
import { runCheck } from '../../src/checks/engine.ts';
import { checksFor } from '../../src/checks/registry.ts';
import type { CheckResult } from '../../src/checks/types.ts';
import type { ClientAdapter } from '../../src/client/client-adapter.ts';
import { VirtualClock } from '../../src/core/clock.ts';
import { deleteAt, setAt } from '../../src/core/json-pointer.ts';
import { loadAllSpecs } from '../../src/spec/load-spec.ts';
import type { ProviderSpec } from '../../src/spec/model.ts';
import { createCheckContext } from '../../src/worker/create-context.ts';
import { generateCases } from '../../src/cases/generate-cases.ts';
import { compileValidators } from '../../src/validate/compile-validators.ts';
import { exampleBody, fieldSchema } from '../../src/checks/probes/request-bodies.ts';
import { authHeader } from '../../src/client/auth-header.ts';
import { isSuccess } from '../../src/spec/operations.ts';
import { adapter as naiveAdapter } from '../../fixtures/adapters/naive-retry-adapter.ts';
import { adapter as constantAdapter } from '../../fixtures/adapters/constant-wait-adapter.ts';
import { adapter as endlessAdapter } from '../../fixtures/adapters/endless-retry-adapter.ts';
import { editJson, rewriteStatusWords, startDeviatingMock, withBody, type Deviation } from './deviating-mock.ts';
import { liveBreakers } from './live-breakers.ts';

export let specs: ProviderSpec[];
export const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  specs = await loadAllSpecs();
});
afterAll(async () => Promise.all(closers.map((c) => c())));

export const KEY = 'kc-proof-key';
const SECRET = 'kc-proof-secret';
export const MOCK_AUTH = { validKeys: [KEY], credentials: [{ accessKey: KEY, secretKey: SECRET }] };
/**
 * The boundary checks of a provider share one probe (every generated case, sent once): against the same gateway
 * (faithful, or one deviation) and strictness they share a context too, as they do in a real run.
 */
const boundaryContexts = new Map<string, ReturnType<typeof createCheckContext>>();
const deviationIds = new Map<Deviation | undefined, number>();

export async function run(
  spec: ProviderSpec,
  checkId: string,
  breaker: Breaker = {},
  strict = false,
): Promise<CheckResult> {
  const def = checksFor(spec).find((c) => c.id === checkId);
  if (!def) throw new Error(`${spec.id} has no check ${checkId}`);
  if (!deviationIds.has(breaker.deviation)) deviationIds.set(breaker.deviation, deviationIds.size);
  const shareKey =
    def.family === 'boundary' && !breaker.adapter
      ? `${spec.id}:${deviationIds.get(breaker.deviation)}:${strict}`
      : undefined;
  const shared = shareKey ? boundaryContexts.get(shareKey) : undefined;
  if (shared) return runCheck(def, shared);
  const mock = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), ...MOCK_AUTH },
    breaker.deviation ?? {},
  );
  closers.push(mock.close);
  const ctx = createCheckContext(spec, {
    target: 'mock',
    baseUrl: mock.url,
    apiKey: KEY,
    secretKey: SECRET,
    adapter: breaker.adapter,
    strict,
  });
  if (shareKey) boundaryContexts.set(shareKey, ctx);
  return runCheck(def, ctx);
}

export interface Breaker {
  deviation?: Deviation;
  adapter?: ClientAdapter;
}

const field = (spec: ProviderSpec, name: string) => spec.x.settings[name]!.field;
const otherValue = (spec: ProviderSpec, name: string, current: unknown) => {
  // another documented value of the same type: a different enum member, else a duration 2 s longer
  const values = fieldSchema(spec, field(spec, name))?.enum as unknown[] | undefined;
  if (name === 'duration')
    return values ? values.find((v) => v !== current && Number(v) !== Number(current)) : Number(current) + 2;
  if (name === 'aspect_ratio') return values?.find((v) => v !== current) ?? (current === '9:16' ? '16:9' : '9:16');
  return Object.entries(spec.x.settings.resolution?.values ?? {}).find(
    ([, px]) => px !== spec.x.settings.resolution?.values?.[String(current)],
  )?.[0];
};
const onCreate = (
  edit: (b: Record<string, unknown>, spec: ProviderSpec) => Record<string, unknown> | undefined,
  headers?: Record<string, string>,
): Deviation => ({
  request: (req, x) => (x.operation === 'create' ? withBody(req, (b) => edit(b, x.spec), headers) : req),
});
/** a gateway that accepts whatever is wrong with a body: it serves the documented example instead */
const acceptsInvalid: Deviation = onCreate((b, spec) =>
  compileValidators(spec).request(b).errors.length ? exampleBody(spec) : b,
);
/** a gateway that rejects a valid request (a setting forced to an invalid value) */
const forcesInvalid: Deviation = onCreate((b, spec) => void setAt(b, field(spec, 'aspect_ratio'), '2:1'));
/**
 * A gateway whose error bodies are not the documented ones: the first of these bodies that the spec's own schema for
 * that status rejects (a gateway whose only documented error field is `message` gets something else than
 * {message}); derived from the spec, so it breaks any gateway's documented envelope.
 */
const UNDOCUMENTED_BODIES: unknown[] = [
  { message: 'something went wrong' },
  { kc_undocumented: true },
  'something went wrong',
  12345,
  [],
];
const undocumentedErrors: Deviation = {
  response: (res, _req, x) => {
    if (res.status < 400) return res;
    const validate = compileValidators(x.spec).response(x.operation === 'poll' ? 'poll' : 'create', res.status);
    const body = UNDOCUMENTED_BODIES.find((b) => !validate || validate(b).errors.length > 0);
    return editJson(res, () => body ?? UNDOCUMENTED_BODIES[0]);
  },
};
const patchBody = (
  operation: 'create' | 'poll',
  pointer: (spec: ProviderSpec, body: unknown) => string,
): Deviation => ({
  response: (res, _req, x) =>
    x.operation === operation && isSuccess(x.spec, operation, res.status)
      ? editJson(res, (b) => void setAt(b as Record<string, unknown>, pointer(x.spec, b), 12345))
      : res,
});
/** a string in the poll body other than the status word (the documented schema types it: 12345 breaks it) */
const pollStringPointer = (spec: ProviderSpec, body: unknown): string => {
  const found: string[] = [];
  const walk = (node: unknown, at: string) => {
    if (typeof node === 'string' && at !== spec.x.lifecycle.statusPointer) found.push(at);
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, `${at}/${k}`);
  };
  walk(body, '');
  return found.find((p) => p === spec.x.lifecycle.idPointer) ?? found[0]!;
};
const lifetime = (spec: ProviderSpec) => Math.max(...spec.x.resultLink.lifetimeSeconds.map((c) => c.value));

/** For each check id: the departure (of the gateway or the client) that breaks exactly that behaviour. */
export async function breaking(spec: ProviderSpec, id: string): Promise<Breaker[]> {
  const [family, rest] = [id.split('.')[0], id.split('.').slice(1).join('.')];
  const live = liveBreakers(id, await authHeader(spec, { key: KEY, secret: SECRET }));
  if (live) return live;
  if (family === 'defaults') {
    const current = (spec.x.settings[rest]!.default.find((c) => c.mock) ?? spec.x.settings[rest]!.default[0]!).value;
    const other = otherValue(spec, rest, current);
    return [{ deviation: onCreate((b) => void (b && setAt(b, field(spec, rest), other))) }];
  }
  if (id === 'reject.first_frame') {
    if (spec.x.firstFrame.outcome === 'accept') return [{ deviation: onCreate(() => ({})) }];
    // accepts it; and rejects it for the wrong reason (ignores the fields that may carry the prompt instead — seed
    // 003's contents — then "prompt is required")
    const alternatives = spec.x.prompt.alternatives ?? [];
    const dropAlternatives = (b: Record<string, unknown>) => {
      for (const field of alternatives) deleteAt(b, field);
    };
    return [
      { deviation: acceptsInvalid },
      ...(alternatives.length ? [{ deviation: onCreate((b) => void dropAlternatives(b)) }] : []),
    ];
  }
  if (id.startsWith('reject.enum.')) {
    // rejects the request but still makes a task for it
    return [
      {
        deviation: {
          request: async (req, x) =>
            x.operation === 'create' ? (await x.forward(await withBody(req, () => exampleBody(spec))), req) : req,
        },
      },
      { deviation: acceptsInvalid },
    ];
  }
  if (family === 'reject') return [{ deviation: acceptsInvalid }];
  // a gateway that lets every request through: it sends a valid credential on the client's behalf
  if (family === 'auth')
    return [{ deviation: onCreate((b) => b, await authHeader(spec, { key: KEY, secret: SECRET })) }];
  if (id === 'shape.create') return [{ deviation: patchBody('create', (s) => s.x.lifecycle.idPointer) }];
  if (id.startsWith('shape.poll.')) return [{ deviation: patchBody('poll', pollStringPointer) }];
  if (id.startsWith('shape.error.') || id === 'lifecycle.unknown_task') return [{ deviation: undocumentedErrors }];
  const lc = spec.x.lifecycle;
  if (id === 'lifecycle.vocabulary')
    return [{ deviation: rewriteStatusWords({ [lc.running]: 'running_undocumented' }) }];
  if (id === 'lifecycle.transitions')
    return [{ deviation: rewriteStatusWords({ [lc.initial]: lc.running, [lc.running]: lc.initial }) }];
  if (id === 'lifecycle.terminal') return [{ deviation: onCreate((b) => b, { 'x-mock-scenario': 'never' }) }];
  if (id === 'lifecycle.result_download')
    return [
      { deviation: { request: (req, x) => (x.operation === 'video' ? new Response('gone', { status: 404 }) : req) } },
    ];
  if (id === 'lifecycle.link_expiry') {
    const clock = (edit: (ms: number) => number): Deviation => ({
      request: (req) =>
        new URL(req.url).pathname === '/__mock/clock'
          ? withBody(req, (b) => ({ advanceMs: edit(Number(b.advanceMs)) }))
          : req,
    });
    // a link that never expires (time never reaches it), and one that expires early (time runs ahead of it)
    return [{ deviation: clock(() => 0) }, { deviation: clock((ms) => ms + lifetime(spec) * 2000) }];
  }
  if (id === 'availability.placeholder')
    return [
      {
        deviation: {
          response: (res, _req, x) =>
            x.operation === 'create'
              ? new Response(JSON.stringify({ id: 'task_1' }), {
                  status: 200,
                  headers: { 'content-type': 'application/json' },
                })
              : res,
        },
      },
    ];
  if (id === 'retry.400.no_retry' || id === 'retry.401.no_retry' || id === 'retry.500.no_duplicate')
    return [{ adapter: naiveAdapter }];
  if (id === 'retry.429.backoff' || id === 'retry.429.retry_after') return [{ adapter: constantAdapter }];
  if (id === 'retry.429.limit' || id === 'retry.500.retries') return [{ adapter: naiveAdapter }];
  if (id === 'retry.500.limit') return [{ adapter: endlessAdapter }];
  if (family === 'boundary') {
    const outcome = generateCases(spec, { seed: 1, valid: 1 }).find((c) => c.rule === rest)!.expect.outcome;
    return [{ deviation: outcome === 'reject' ? acceptsInvalid : forcesInvalid }];
  }
  return [];
}

/** Pairs that by design never fail, and why (each is still proven to judge something, below). */
const NEVER_FAILS: Record<string, (spec: ProviderSpec) => string | undefined> = {
  'reject.first_frame': (spec) =>
    spec.x.firstFrame.outcome === 'undocumented'
      ? 'no document says what a first frame does here: the run reports an observation (info)'
      : undefined,
  'retry.500.advice': () =>
    "a finding about the provider's documents, not its behaviour: it warns (see the test below)",
};

/**
 * KC_PROVE_ONLY=<id,id>: prove only these providers (test/add-unlike-provider.test.ts runs the proof on the one
 * gateway it adds, in a copy of the project); the documented must-prove list then does not apply.
 */
const only = process.env.KC_PROVE_ONLY?.split(',').filter(Boolean);
const proved = () => specs.filter((s) => !only || only.includes(s.id));

/**
 * The proof, for the families given: every (provider, check) pair passes on the faithful mock and fails against its
 * breaker, or is named with why it cannot. Split by family over two test files so two workers share the work.
 */
export function proveChecksCanFail(families: readonly string[], mustProve: string[]): void {
  describe(
    `every check that can run passes on the faithful mock and fails when its ` +
      `behaviour is broken (${families.join(', ')})`,
    () => {
      it('covers every (provider, check) pair, or names why it cannot run or cannot fail', async () => {
        const proven: string[] = [];
        const named: string[] = [];
        for (const spec of proved()) {
          for (const def of checksFor(spec).filter((c) => families.includes(c.family))) {
            const pair = `${spec.id} ${def.id}`;
            const cannotRun = def.notApplicable?.(spec);
            if (cannotRun) {
              named.push(`${pair}: ${cannotRun}`);
              continue;
            }
            const faithful = await run(spec, def.id);
            const byDesign = NEVER_FAILS[def.id]?.(spec);
            expect(faithful.status, `${pair} on the faithful mock: ${faithful.message}`).toBe(
              byDesign ? (def.id === 'retry.500.advice' ? (dedupeKey(spec) ? 'pass' : 'warn') : 'info') : 'pass',
            );
            if (byDesign) {
              named.push(`${pair}: ${byDesign}`);
              continue;
            }
            const breakers = await breaking(spec, def.id);
            expect(breakers.length, `${pair} has a breaking deviation`).toBeGreaterThan(0);
            for (const [i, breaker] of breakers.entries()) {
              const strict = await run(spec, def.id, breaker, true);
              expect(strict.status, `${pair} against deviation ${i + 1} (strict): ${strict.message}`).toBe('fail');
              const lenient = await run(spec, def.id, breaker);
              // without --strict a departure from our own reading only warns
              expect(['fail', 'warn'], `${pair} against deviation ${i + 1}: ${lenient.message}`).toContain(
                lenient.status,
              );
              if (lenient.status === 'warn')
                expect(lenient.findings!.filter((f) => f.kind !== 'claim-followed').every((f) => f.inferred)).toBe(
                  true,
                );
            }
            proven.push(pair);
          }
        }
        expect(proven.length + named.length).toBe(
          proved().reduce((n, s) => n + checksFor(s).filter((c) => families.includes(c.family)).length, 0),
        );
        for (const id of only ? [] : mustProve)
          expect(
            proven.some((p) => p.endsWith(` ${id}`)),
            id,
          ).toBe(true);
      }, 240_000);
    },
  );
}
