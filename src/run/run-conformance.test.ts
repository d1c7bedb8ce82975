// runConformance's steps that decide on data alone: the plan (or why a run is refused), the live credentials, the
// spend the ledger reports, and how what came back is reconciled with the plan (missing = error, never a pass).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../checks/types.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { PlannedCheck } from './plan-run.ts';
import {
  liveCredentials,
  pastDeadline,
  planOrRefuse,
  reconcile,
  spendOf,
  workerSharing,
  type RunOptions,
} from './run-conformance.ts';

let specs: ProviderSpec[];
beforeAll(async () => {
  specs = await loadAllSpecs();
});
const options = (more: Partial<RunOptions> = {}) => ({ providers: ['p'], specsDir: 'specs', ...more }) as RunOptions;
const planned = (id: string): PlannedCheck => ({ provider: 'p', id, family: 'auth', title: id, paid: false });
const came = (id: string, status: CheckResult['status']): CheckResult => ({
  ...planned(id),
  status,
  message: status,
  durationMs: 1,
});

describe('runConformance, step by step', () => {
  it('plan: the selection kept, or NO_CHECKS naming what was asked for', () => {
    const evolink = specs.filter((s) => s.id === 'evolink-kling-v3-t2v');
    expect(planOrRefuse(evolink, options({ checks: ['auth.*'] })).every((p) => p.id.startsWith('auth.'))).toBe(true);
    expect(() => planOrRefuse(evolink, options({ checks: ['nothing.*'] }))).toThrow(
      /no check applies to p matching --checks nothing\.\*/,
    );
  });

  it('workers: a mock run shares one per three providers; a live run or a --client keeps one per file', () => {
    const providers = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `p${i}`, baseUrl: 'http://x' }));
    expect(workerSharing({ target: 'mock', providers: providers(1) }, 4)).toEqual({ isolate: false, maxWorkers: 1 });
    expect(workerSharing({ target: 'mock', providers: providers(7) }, 4)).toEqual({ isolate: false, maxWorkers: 3 });
    expect(workerSharing({ target: 'mock', providers: providers(12) }, 2)).toEqual({ isolate: false, maxWorkers: 2 });
    expect(workerSharing({ target: 'live', providers: providers(1) }, 4)).toEqual({});
    expect(workerSharing({ target: 'mock', providers: providers(1), clientModule: './adapter.ts' }, 4)).toEqual({});
  });

  describe('live credentials', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const k of ['KC_RUN_TEST_KEY', 'KC_RUN_TEST_SECRET']) if (!(k in saved)) delete process.env[k];
    });
    it('read from the variable named; unset is CONFIG; a key where the name belongs is refused unshown', () => {
      const evolink = specs.filter((s) => s.id === 'evolink-kling-v3-t2v');
      expect(() => liveCredentials(evolink, options({ apiKeyEnv: 'KC_RUN_TEST_KEY' }))).toThrow(
        /KC_RUN_TEST_KEY is not set/,
      );
      process.env.KC_RUN_TEST_KEY = 'kc-test-value';
      expect(liveCredentials(evolink, options({ apiKeyEnv: 'KC_RUN_TEST_KEY' })).apiKeyEnv).toBe('KC_RUN_TEST_KEY');
      let refused = '';
      try {
        liveCredentials(evolink, options({ apiKeyEnv: 'sk-pasted-key/+=' }));
      } catch (e) {
        refused = (e as Error).message;
      }
      expect(refused).toContain('looks like a key, not a variable name');
      expect(refused).not.toContain('sk-pasted-key');
    });
    it('a provider whose requests carry a signed token needs the secret key too', () => {
      const signed = specs.filter((s) => s.x.auth.credential.kind === 'jwt');
      expect(signed.length).toBeGreaterThan(0);
      process.env.KC_RUN_TEST_KEY = 'kc-test-value';
      expect(() =>
        liveCredentials(signed, options({ apiKeyEnv: 'KC_RUN_TEST_KEY', secretKeyEnv: 'KC_RUN_TEST_SECRET' })),
      ).toThrow(/KC_RUN_TEST_SECRET is not set/);
    });
  });

  it('spend: the ledger totals, and the budget left (a single provider budget counts as the run’s)', () => {
    const totals = () => ({ spent: { USD: 0.75 }, tasks: 2, mistakenTasks: 1, cancelled: 0 });
    const ledger = {
      totals,
      spentByProvider: () => ({ p: { USD: 0.75 } }),
      limits: { perProvider: { p: { amount: 1, currency: 'USD' } } },
      budget: undefined,
    };
    expect(spendOf(ledger, undefined)).toEqual({
      documented: { USD: 0.75 },
      tasks: 2,
      mistakenTasks: 1,
      cancelled: 0,
      budget: { amount: 1, currency: 'USD', left: 0.25 },
    });
    // --budget-month is in results.json whether reached or not: the month's spend before tonight, what is left after
    expect(spendOf(ledger, undefined, { amount: 3, currency: 'USD', spent: 1.25 }).month).toEqual({
      amount: 3,
      currency: 'USD',
      spentBefore: 1.25,
      left: 1,
    });
  });

  it('reconcile: a planned pair that did not come back is an error and makes the run incomplete', () => {
    const plan = [planned('a'), planned('b')];
    const complete = reconcile(plan, { results: [came('a', 'pass'), came('b', 'fail')], problems: [] });
    expect(complete.incomplete).toBeUndefined();
    const partial = reconcile(plan, { results: [came('a', 'pass')], problems: [] });
    expect(partial.results.map((r) => `${r.id} ${r.status}`)).toEqual(['a pass', 'b error']);
    expect(partial.incomplete).toEqual({ missing: 1, problems: ['1 of 2 planned checks reported no result'] });
  });

  it('reconcile: --max-failures reached skips the rest with the reason, and the run is complete', () => {
    const plan = [planned('a'), planned('b')];
    const stopped = reconcile(plan, { results: [came('a', 'fail')], problems: ['the test run was interrupted'] }, 1);
    expect(stopped.results.map((r) => `${r.id} ${r.status}`)).toEqual(['a fail', 'b skip']);
    expect(stopped.results[1]!.message).toBe('not run: --max-failures 1 reached');
    expect(stopped.incomplete).toBeUndefined();
  });

  it('reconcile: a dead worker is named; the deadline makes what did not come back error: deadline', () => {
    const plan = [planned('a'), planned('b')];
    const dead = reconcile(plan, { results: [came('a', 'pass')], problems: [] }, undefined, {
      kind: 'dead-worker',
      pid: 42,
    } as never);
    expect(dead.incomplete!.problems[0]).toMatch(/a test worker died \(pid 42\)/);
    const late = pastDeadline(plan, { results: [came('a', 'pass')] });
    expect(late.results.map((r) => `${r.id} ${r.status}`)).toEqual(['a pass', 'b error']);
    expect(late.results[1]!.message).toMatch(/^deadline:/);
  });
});
