import type { GatewayClient } from '../client/gateway-client.ts';
import type { MockControl } from '../client/mock-control.ts';
import type { ClientAdapter } from '../client/client-adapter.ts';
import type { PriceEstimate } from '../spec/price.ts';
import type { ProviderSpec } from '../spec/model.ts';

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'error';
export type Target = 'mock' | 'live';

/** What a check concludes. Pure data: a finding about a provider never throws or aborts a run. */
export interface Verdict {
  status: CheckStatus;
  message: string;
  expected?: unknown;
  observed?: unknown;
  /** where the expectation comes from: the spec claim (document and part) */
  source?: string;
  /** for contested facts: which documented claims the observation matches and which it contradicts */
  matches?: string[];
  contradicts?: string[];
  requestIds?: string[];
  warnings?: string[];
  /** the exact request as a curl command (key redacted), for failures a person should reproduce */
  curl?: string;
  /** tasks a live gateway bills for this check: invalid requests it wrongly accepted (the paid default task is counted per provider) */
  billableTasks?: number;
}

export interface CheckResult extends Verdict {
  id: string;
  provider: string;
  title: string;
  family: string;
  paid: boolean;
  durationMs: number;
  /** the documented price of the billable task this check creates */
  price?: PriceEstimate;
}

/** Everything a probe may use: the provider, how to reach it, and the run's switches. */
export interface CheckContext {
  spec: ProviderSpec;
  target: Target;
  client: GatewayClient;
  /** present on mock targets only */
  mock?: MockControl;
  baseUrl: string;
  apiKey: string;
  allowPaid: boolean;
  /** seconds to wait for a task to reach a terminal status */
  timeoutSeconds: number;
  /** between polls on live targets (mocks progress per poll) */
  pollIntervalMs: number;
  /** the client whose retry behaviour the retry checks judge (default: the reference client) */
  adapter: ClientAdapter;
  probes: ProbeCache;
  /** unique per run, to trace what this run created on a mock */
  runId: string;
  /** seed for generated cases */
  seed: number;
  /** boundary cases in flight at once */
  concurrency: number;
}

/**
 * A registered check: a stable id, when it applies, which probe gathers its observation (effects happen
 * there, once per provider), and a pure `evaluate` from (spec, observation) to a verdict.
 */
export interface CheckDefinition<O = unknown> {
  id: string;
  family: string;
  title: string;
  /** 'paid' checks create billable tasks on live targets and need --allow-paid */
  cost: 'free' | 'paid';
  /** 'mock' checks need fault injection or virtual time: skipped on live targets */
  target: 'any' | 'mock';
  /** a reason to skip for this provider, or undefined when the check applies */
  notApplicable?(spec: ProviderSpec): string | undefined;
  probe(ctx: CheckContext): Promise<O>;
  evaluate(spec: ProviderSpec, observation: O): Verdict;
}

/** Memoises probes per provider, so checks that share an observation share one (possibly billable) request. */
export class ProbeCache {
  private readonly cache = new Map<string, Promise<unknown>>();
  get<T>(key: string, run: () => Promise<T>): Promise<T> {
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) this.cache.set(key, (hit = run()));
    return hit;
  }
}
