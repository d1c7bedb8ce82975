import { VirtualClock, type Clock } from '../core/clock.ts';
import { withClaims } from '../spec/build-model.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators, type ProviderValidators } from '../validate/compile-validators.ts';
import type { CallbackRecord } from './callbacks.ts';
import { MOCK_DEFAULTS, type MockDeviations, type MockOptions } from './options.ts';
import { RateLimiter } from './rate-limiter.ts';
import { ScenarioBook } from './scenarios.ts';
import { TaskStore } from './task-store.ts';

/** Everything one mock provider holds between requests. Handlers read and change it; tests inspect it. */
export interface MockState {
  spec: ProviderSpec;
  validators: ProviderValidators;
  options: Required<Pick<MockOptions, 'claims' | 'completeAfterPolls' | 'retryAfterSeconds' | 'bodyLimitBytes' | 'allowLoopbackCallbacks' | 'rateLimit'>> & MockOptions;
  deviations: MockDeviations;
  clock: Clock & { advance?(ms: number): void };
  tasks: TaskStore;
  scenarios: ScenarioBook;
  callbacks: CallbackRecord[];
  /** every create/poll the mock answered, for server-side evidence (how many attempts a client made) */
  requests: { operation: 'create' | 'poll'; scenarioId?: string; status: number; at: number }[];
  /** callbacks in flight, so tests can await them */
  pending: Set<Promise<unknown>>;
  limiters: { create?: RateLimiter; poll?: RateLimiter };
}

export function createMockState(baseSpec: ProviderSpec, options: MockOptions = {}): MockState {
  const claims = options.claims ?? 'mock';
  const spec = (options.schemaClaims ?? 'mock') === 'mock' ? baseSpec : withClaims(baseSpec, 'other');
  const clock = options.clock ?? new VirtualClock(Date.now());
  const rl = spec.x.rateLimit;
  return {
    spec,
    validators: compileValidators(spec),
    options: {
      ...options,
      claims,
      completeAfterPolls: options.completeAfterPolls ?? MOCK_DEFAULTS.completeAfterPolls,
      retryAfterSeconds: options.retryAfterSeconds ?? MOCK_DEFAULTS.retryAfterSeconds,
      bodyLimitBytes: options.bodyLimitBytes ?? MOCK_DEFAULTS.bodyLimitBytes,
      allowLoopbackCallbacks: options.allowLoopbackCallbacks ?? false,
      rateLimit: options.rateLimit ?? false,
    },
    deviations: options.deviations ?? {},
    clock,
    tasks: new TaskStore(spec.x.responses.taskIdPrefix),
    scenarios: new ScenarioBook(),
    callbacks: [],
    requests: [],
    pending: new Set(),
    limiters: options.rateLimit && rl ? { create: new RateLimiter(rl.create, clock), poll: rl.poll ? new RateLimiter(rl.poll, clock) : undefined } : {},
  };
}
