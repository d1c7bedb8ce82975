// "A test must be able to fail": every check passes against the faithful mock, and fails against a mock
// deviation (or a client) that breaks exactly the behaviour it checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../src/checks/engine.ts';
import { checksFor } from '../src/checks/registry.ts';
import type { CheckResult } from '../src/checks/types.ts';
import type { ClientAdapter } from '../src/client/client-adapter.ts';
import { VirtualClock } from '../src/core/clock.ts';
import { startMocks, stopMocks, type RunningMock } from '../src/mock/start-mocks.ts';
import type { MockDeviations, MockOptions } from '../src/mock/options.ts';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { createCheckContext } from '../src/run/create-context.ts';
import { generateCases } from '../src/cases/generate-cases.ts';
import { adapter as naiveAdapter } from '../fixtures/adapters/naive-retry-adapter.ts';
import { adapter as noRetryAdapter } from '../fixtures/adapters/no-retry-adapter.ts';

let specs: ProviderSpec[];
const mocks: RunningMock[] = [];
beforeAll(async () => {
  specs = await loadAllSpecs();
});
afterAll(async () => stopMocks(mocks));

async function run(spec: ProviderSpec, checkId: string, options: MockOptions = {}, adapter?: ClientAdapter): Promise<CheckResult> {
  const [mock] = await startMocks([spec], { clock: new VirtualClock(Date.now()), validKeys: ['k'], ...options });
  mocks.push(mock!);
  const def = checksFor(spec).find((c) => c.id === checkId);
  if (!def) throw new Error(`${spec.id} has no check ${checkId}`);
  return runCheck(def, createCheckContext(spec, { target: 'mock', baseUrl: mock!.url, apiKey: 'k', adapter }));
}

const field = (spec: ProviderSpec, name: string) => spec.x.settings[name]!.field;
const otherValue = (spec: ProviderSpec, name: string, current: unknown) => {
  if (name === 'duration') return Number(current) + 2;
  if (name === 'aspect_ratio') return current === '9:16' ? '16:9' : '9:16';
  return Object.entries(spec.x.settings.resolution.values ?? {}).find(([, px]) => px !== spec.x.settings.resolution.values?.[String(current)])?.[0];
};
const pollIdPointer = (spec: ProviderSpec) => spec.x.lifecycle.statusPointer.replace(/status$/, spec.x.lifecycle.idPointer.split('/').at(-1)!);

/** For each check id (or prefix): the deviation that breaks exactly that behaviour for this provider. */
function breaking(spec: ProviderSpec, id: string): { options?: MockOptions; adapter?: ClientAdapter } | undefined {
  const d = (deviations: MockDeviations) => ({ options: { deviations } });
  const [family, rest] = [id.split('.')[0], id.split('.').slice(1).join('.')];
  if (family === 'defaults') {
    const current = (spec.x.settings[rest]!.default.find((c) => c.mock) ?? spec.x.settings[rest]!.default[0]!).value;
    return d({ defaults: { [rest]: otherValue(spec, rest, current) } });
  }
  if (id === 'reject.first_frame') return d({ unenforced: ['/contents'] });
  if (id === 'reject.prompt_missing') return d({ unenforced: ['/prompt', 'prompt_or_contents@/'] });
  if (id === 'reject.prompt_too_long') return d({ unenforced: ['maxLength@/prompt'] });
  if (id === 'reject.duration_below_min') return d({ unenforced: [`minimum@${field(spec, 'duration')}`] });
  if (id === 'reject.duration_above_max') return d({ unenforced: [`maximum@${field(spec, 'duration')}`] });
  if (id === 'reject.unknown_field') return d({ unenforced: ['additionalProperties@/settings'] });
  if (id.startsWith('reject.enum.')) return d({ createTaskOnReject: true });
  if (family === 'auth') return d({ acceptAnyKey: true });
  if (id === 'shape.create') return d({ responsePatch: { operation: 'create', pointer: spec.x.lifecycle.idPointer, value: 12345 } });
  if (id.startsWith('shape.poll.')) return d({ responsePatch: { operation: 'poll', pointer: pollIdPointer(spec), value: 12345 } });
  if (id.startsWith('shape.error.')) return d({ undocumentedErrorShape: true });
  if (id === 'lifecycle.vocabulary') return d({ phaseWords: { running: 'running_undocumented' } });
  if (id === 'lifecycle.transitions') return d({ phaseWords: { initial: spec.x.lifecycle.running, running: spec.x.lifecycle.initial } });
  if (id === 'lifecycle.terminal') return d({ neverFinish: true });
  if (id === 'lifecycle.result_download') return d({ linkLifetimeSeconds: 0 });
  if (id === 'lifecycle.link_expiry') return d({ linkLifetimeSeconds: 10 ** 9 });
  if (id === 'lifecycle.unknown_task') return d({ undocumentedErrorShape: true });
  if (id === 'availability.placeholder') return d({ serveUnavailableModel: true });
  if (id === 'retry.500.no_duplicate') return { adapter: naiveAdapter };
  if (id === 'retry.500.retries' || id === 'retry.429.backoff') return { adapter: noRetryAdapter };
  if (family === 'retry') return { adapter: naiveAdapter };
  if (family === 'boundary') {
    const outcome = generateCases(spec, { seed: 1, valid: 1 }).find((c) => c.rule === rest)!.expect.outcome;
    // reject rules: a mock that enforces nothing; accept rules: a mock that ignores the requested settings
    return outcome === 'reject' ? d({ unenforced: [''] }) : d({ forceSettings: { aspect_ratio: '2:1' } });
  }
  return undefined;
}

describe('every applicable check passes on the faithful mock and fails when its behaviour is broken', () => {
  it('covers every check of every provider', async () => {
    const seen: string[] = [];
    for (const spec of specs) {
      for (const def of checksFor(spec)) {
        const faithful = await run(spec, def.id);
        if (faithful.status === 'skip') continue;
        expect(faithful.status, `${spec.id} ${def.id} on the faithful mock: ${faithful.message}`).toBe('pass');
        const breaker = breaking(spec, def.id);
        expect(breaker, `${spec.id} ${def.id} has a breaking deviation`).toBeDefined();
        const broken = await run(spec, def.id, breaker!.options, breaker!.adapter);
        expect(broken.status, `${spec.id} ${def.id} against its deviation: ${broken.message}`).toBe('fail');
        seen.push(def.id);
      }
    }
    // the families named by our users are all exercised
    for (const id of ['defaults.duration', 'reject.first_frame', 'reject.prompt_missing', 'retry.429.backoff', 'retry.500.no_duplicate', 'auth.invalid_key', 'shape.error.500', 'lifecycle.link_expiry', 'availability.placeholder']) expect(seen).toContain(id);
  }, 120_000);

  it('says which documented claim an observed default matches (ToAPIs duration: mock follows the table)', async () => {
    const spec = specs.find((s) => s.id === 'toapis-kling-3.0-turbo')!;
    const r = await run(spec, 'defaults.duration', { claims: 'other' });
    expect(r.status).toBe('fail');
    expect(r.observed).toBe(6);
    expect(r.expected).toBe(5);
    expect(r.matches!.join()).toContain('关键参数 table');
    expect(r.contradicts!.join()).toContain('请求预览');
  });

  it('a mock that stops enforcing one constraint fails exactly the matching boundary cases', async () => {
    const spec = specs.find((s) => s.id === 'aimanyi-kling-3.0-turbo')!;
    const [mock] = await startMocks([spec], { clock: new VirtualClock(Date.now()), validKeys: ['k'], deviations: { unenforced: ['maxLength@/prompt'] } });
    mocks.push(mock!);
    const ctx = createCheckContext(spec, { target: 'mock', baseUrl: mock!.url, apiKey: 'k' });
    const results = await Promise.all(checksFor(spec).filter((c) => c.family === 'boundary').map((c) => runCheck(c, ctx)));
    expect(results.filter((r) => r.status === 'fail').map((r) => r.id)).toEqual(['boundary.maxLength+1']);
    const failed = (results.find((r) => r.id === 'boundary.maxLength+1')!.observed as { failures: { id: string }[] }).failures.map((f) => f.id);
    expect(failed).toEqual(['prompt.maxLength+1.ascii', 'prompt.maxLength+1.cjk', 'prompt.maxLength+1.emoji', 'prompt.maxLength+1.combining']);
    expect(results.find((r) => r.id === 'boundary.maxLength+1')!.curl).toContain('curl -sS -X POST');
  });

  it('fails retry.429.retry_after when the server omits Retry-After', async () => {
    const spec = specs.find((s) => s.id === 'toapis-kling-3.0-turbo')!;
    // the mock scripts "429:7": without the header the client cannot know to wait 7 s
    const r = await run(spec, 'retry.429.retry_after', { deviations: { omitRetryAfter: true } });
    expect(r.status).toBe('fail');
  });
});
