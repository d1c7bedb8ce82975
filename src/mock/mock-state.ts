import { VirtualClock, type Clock } from '../core/clock.ts';
import { withClaims } from '../spec/build-model.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators, type ProviderValidators } from '../validate/compile-validators.ts';
import type { CallbackRecord } from './callbacks.ts';
import { CallbackOutbox } from './callback-outbox.ts';
import { MOCK_DEFAULTS, type MockOptions } from './options.ts';
import { RateLimiter } from './rate-limiter.ts';
import { ScenarioBook } from './scenarios.ts';
import { TaskStore } from './task-store.ts';
import { SettingsMemo } from './settings-memo.ts';
import type { Diagnostic } from '../validate/describe-errors.ts';
import type { MockRequest } from './mock-route.ts';
import { fingerprintSaltId } from '../har/client-id.ts';
import { HarRecorder } from '../har/har-recorder.ts';
import { FaultBook } from '../faults/fault-plan.ts';
import { packageVersion } from '../core/package-paths.ts';
import { registerSecret } from '../core/redact.ts';

/** One create or poll as the mock saw it. */
export interface RequestRecord {
  operation: 'create' | 'poll' | 'result' | 'cancel';
  scenarioId?: string;
  status: number;
  at: number;
  /** for a rejected request: the findings that rejected it (pointer, keyword, message) */
  rejectedFor?: { pointer: string; keyword?: string; rule?: string; message: string }[];
}

/** Everything one mock provider holds between requests. Handlers read and change it; tests inspect it. */
export interface MockState {
  spec: ProviderSpec;
  validators: ProviderValidators;
  options: Required<
    Pick<
      MockOptions,
      'claims' | 'completeAfterPolls' | 'requestLogLimit' | 'bodyLimitBytes' | 'allowLoopbackCallbacks' | 'rateLimit'
    >
  > &
    MockOptions;
  clock: Clock & { advance?(ms: number): void };
  tasks: TaskStore;
  /** settings and price per combination of sent setting values (see SettingsMemo) */
  settings: SettingsMemo;
  scenarios: ScenarioBook;
  callbacks: CallbackRecord[];
  /** callbacks on their way (sent, and sent again on failure as documented) */
  outbox: CallbackOutbox;
  /** the mock's clock when it started (a previous webhook secret was rotated out then) */
  startedAt: number;
  /** every create/poll the mock answered, for server-side evidence (attempts made, why a request was rejected) */
  requests: RequestRecord[];
  /** why the mock rejected a request (its diagnostics), picked up when the request is logged */
  rejections: WeakMap<MockRequest, Diagnostic[]>;
  /** callback attempts in flight (not those waiting to be sent again), so tests can await them */
  pending: Set<Promise<unknown>>;
  limiters: { create?: RateLimiter; poll?: RateLimiter };
  /** aborted when the mock stops: pending delays end at once instead of keeping the process alive */
  closing: AbortController;
  /** records exchanges as HAR when `options.record` is set */
  recorder?: HarRecorder;
  /** per-client fault counters when `options.faults` is set */
  faults?: FaultBook;
}

export function createMockState(baseSpec: ProviderSpec, options: MockOptions = {}): MockState {
  const claims = options.claims ?? 'mock';
  const spec = (options.schemaClaims ?? 'mock') === 'mock' ? baseSpec : withClaims(baseSpec, 'other');
  const clock = options.clock ?? new VirtualClock(Date.now());
  const rl = spec.x.rateLimit;
  const plan = typeof options.faults === 'function' ? options.faults(spec) : options.faults;
  // the webhook secrets are credentials: redacted like keys wherever the mock records or prints (the CLI did already)
  registerSecret(options.callbackSecret);
  registerSecret(options.callbackPreviousSecret);
  const state: MockState = {
    spec,
    validators: compileValidators(spec),
    options: {
      ...options,
      claims,
      completeAfterPolls: options.completeAfterPolls ?? MOCK_DEFAULTS.completeAfterPolls,
      requestLogLimit: options.requestLogLimit ?? MOCK_DEFAULTS.requestLogLimit,
      bodyLimitBytes: options.bodyLimitBytes ?? MOCK_DEFAULTS.bodyLimitBytes,
      allowLoopbackCallbacks: options.allowLoopbackCallbacks ?? false,
      rateLimit: options.rateLimit ?? false,
    },
    clock,
    settings: new SettingsMemo(spec, claims),
    tasks: new TaskStore(spec.x.responses.taskIdPrefix, options.maxTasks),
    scenarios: new ScenarioBook(),
    callbacks: [],
    // (replaced below: the outbox reads the state it belongs to)
    outbox: undefined as unknown as CallbackOutbox,
    startedAt: clock.now(),
    requests: [],
    rejections: new WeakMap(),
    pending: new Set(),
    closing: new AbortController(),
    faults: plan ? new FaultBook(plan) : undefined,
    recorder: options.record
      ? new HarRecorder({
          ...options.record,
          auth: spec.x.auth,
          secrets: options.validKeys,
          meta: {
            provider: spec.id,
            target: 'mock',
            fingerprints: fingerprintSaltId(),
            ...(plan ? { faults: plan } : {}),
          },
          creator: { name: 'kling-conformance mock', version: packageVersion() },
        })
      : undefined,
    limiters:
      options.rateLimit && rl
        ? { create: new RateLimiter(rl.create, clock), poll: rl.poll ? new RateLimiter(rl.poll, clock) : undefined }
        : {},
  };
  state.outbox = new CallbackOutbox(state, options.maxPendingCallbacks);
  return state;
}
