// Shared by test/checks-can-fail*.test.ts. "A test must be able to fail": every (provider, check) pair that can run on
// some target passes (or, by design, observes) against the faithful mock and fails against a gateway — or a client —
// that breaks exactly the behaviour it checks. How each check is broken is declared with the check (`breakers`,
// src/checks/breakers.ts); the pairs are read from the registry, one test each. Pairs that can run nowhere, or never
// fail by design, say why. Gateways that deviate are msw handlers in front of the generated mock
// (test/support/deviating-mock.ts, built by test/support/breakers.ts): the shipped mock has no fault switches.
import { afterAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/engine.ts';
import { describeBreaker } from '../../src/checks/breakers.ts';
import { FAMILIES, checksFor } from '../../src/checks/registry.ts';
import type { CheckDefinition, CheckResult } from '../../src/checks/types.ts';
import { authHeader } from '../../src/client/auth-header.ts';
import { VirtualClock } from '../../src/core/clock.ts';
import { loadAllSpecs } from '../../src/spec/load-spec.ts';
import type { ProviderSpec } from '../../src/spec/model.ts';
import { createCheckContext } from '../../src/worker/create-context.ts';
import { buildBreaker, KEY, SECRET, type BuiltBreaker } from './breakers.ts';
import { startDeviatingMock, type Deviation } from './deviating-mock.ts';
import { liveBreakers } from './live-breakers.ts';

export { KEY };
export const specs: ProviderSpec[] = await loadAllSpecs();
export const closers: (() => Promise<void>)[] = [];
afterAll(async () => Promise.all(closers.map((c) => c())));

export const MOCK_AUTH = { validKeys: [KEY], credentials: [{ accessKey: KEY, secretKey: SECRET }] };
/** The account's webhook settings, for checks about an account that has them configured (CheckDefinition.webhook). */
const PROOF_WEBHOOK = {
  callbackDefault: 'https://hooks.example.com/kc-proof',
  callbackSecret: 'kc-proof-webhook-secret',
};
/** A breaker as the proof runs it (the name the can-fail tests used before breakers were declared with checks). */
export type Breaker = BuiltBreaker & { key?: string };
/**
 * The boundary checks of a provider share one probe (every generated case, sent once): against the same gateway
 * (faithful, or one departure) they share a context too, as they do in a real run. With and without --strict too:
 * strictness is how a verdict is settled from what was observed (settle(), src/checks/engine.ts), never what is sent.
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
      ? `${spec.id}:${breaker.key ?? deviationIds.get(breaker.deviation)}`
      : undefined;
  const shared = shareKey ? boundaryContexts.get(shareKey) : undefined;
  if (shared) return runCheck(def, { ...shared, strict });
  const mock = await startDeviatingMock(
    spec,
    { clock: new VirtualClock(Date.now()), ...MOCK_AUTH, ...(def.webhook === 'configured' ? PROOF_WEBHOOK : {}) },
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
    ...(def.webhook === 'configured' ? { callbackDefault: PROOF_WEBHOOK.callbackDefault } : {}),
  });
  if (shareKey) boundaryContexts.set(shareKey, ctx);
  return runCheck(def, ctx);
}

/** A check's declared breakers, built for this provider (each labelled for messages). */
export async function declaredBreakers(
  spec: ProviderSpec,
  def: CheckDefinition,
): Promise<(Breaker & { label: string })[]> {
  return Promise.all(
    (def.breakers?.(spec) ?? []).map(async (b) => ({
      ...(await buildBreaker(spec, b)),
      key: JSON.stringify(b),
      label: describeBreaker(b),
    })),
  );
}

/** For a check id: the departures (of the gateway or the client) that break exactly that behaviour. */
export async function breaking(spec: ProviderSpec, id: string): Promise<Breaker[]> {
  const legacy = liveBreakers(id, await authHeader(spec, { key: KEY, secret: SECRET }));
  if (legacy) return legacy;
  const def = checksFor(spec).find((c) => c.id === id);
  return def ? declaredBreakers(spec, def) : [];
}

/**
 * KC_PROVE_ONLY=<id,id>: prove only these providers (test/add-unlike-provider.test.ts runs the proof on the one
 * gateway it adds, in a copy of the project).
 */
const only = process.env.KC_PROVE_ONLY?.split(',').filter(Boolean);
const proved = () => specs.filter((s) => !only || only.includes(s.id));

/** Share i of n of the families, in registry order (the proof is split over test files so workers share it). */
export function proofShare(i: number, n: number): readonly string[] {
  const size = Math.ceil(FAMILIES.length / n);
  return FAMILIES.slice((i - 1) * size, i * size);
}

/** One pair: passes on the faithful mock, then fails against each declared breaker (at least warns without --strict) */
export async function proveCanFail(spec: ProviderSpec, def: CheckDefinition): Promise<void> {
  const pair = `${spec.id} ${def.id}`;
  const byDesign = def.neverFails?.(spec);
  const faithful = await run(spec, def.id);
  expect(faithful.status, `${pair} on the faithful mock: ${faithful.message}`).toBe(byDesign?.faithful ?? 'pass');
  if (byDesign) return;
  const breakers = await breaking(spec, def.id);
  expect(
    breakers.length,
    `check ${def.id} declares no way to break it (breakers, src/checks/breakers.ts)`,
  ).toBeGreaterThan(0);
  for (const [i, breaker] of breakers.entries()) {
    const name = (breaker as { label?: string }).label ?? `deviation ${i + 1}`;
    const strict = await run(spec, def.id, breaker, true);
    expect(strict.status, `${pair} against ${name} (strict): ${strict.message}`).toBe('fail');
    const lenient = await run(spec, def.id, breaker);
    // without --strict a departure from our own reading only warns
    expect(['fail', 'warn'], `${pair} against ${name}: ${lenient.message}`).toContain(lenient.status);
    if (lenient.status === 'warn')
      expect(lenient.findings!.filter((f) => f.kind !== 'claim-followed').every((f) => f.inferred)).toBe(true);
  }
}

/**
 * The proof, for the families given: one test per (provider, check) pair of the registry. A pair that cannot run
 * anywhere says why; one that never fails by design says why and gives what it declares on the faithful mock; every
 * other pair passes there and fails against each of its declared breakers.
 */
export function proveChecksCanFail(families: readonly string[], mustProve: string[] = []): void {
  const pairs = proved().flatMap((spec) =>
    checksFor(spec)
      .filter((c) => families.includes(c.family))
      .map((def) => [`${spec.id} ${def.id}`, spec, def] as const),
  );
  const title = `every check that can run passes on the faithful mock and fails when its behaviour is broken`;
  describe(`${title} (${families.join(', ')})`, () => {
    it.each(pairs)(
      '%s',
      async (_pair, spec, def) => {
        const cannotRun = def.notApplicable?.(spec);
        if (cannotRun) return void expect(cannotRun).toMatch(/\w/);
        await proveCanFail(spec, def);
      },
      120_000,
    );

    it.skipIf(only || !mustProve.length)('these checks are proven on some provider', () => {
      for (const id of mustProve)
        expect(
          proved().some((s) => checksFor(s).some((d) => d.id === id && !d.notApplicable?.(s) && !d.neverFails?.(s))),
          id,
        ).toBe(true);
    });
  });
}
