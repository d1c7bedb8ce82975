import type { SpendClass } from './spend-class.ts';
import type { Clock } from '../core/clock.ts';
import type { GatewayClient } from '../client/gateway-client.ts';
import type { MockControl } from '../client/mock-control.ts';
import type { ClientAdapter } from '../client/client-adapter.ts';
import type { PriceEstimate } from '../spec/price.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { WorkerSettings } from '../core/run-settings.ts';
import type { Breaker, NeverFails } from './breakers.ts';

/**
 * pass: the observation matches a documented expectation. fail: it contradicts a documented one.
 * warn: it contradicts only our own reading (an `inferred` fact; `--strict` makes it a fail), or the documents
 * themselves are at fault. info: observed where no document states an expectation. skip: not run, with why.
 * error: could not be judged (evidence missing or unreadable) — never a pass.
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'info' | 'skip' | 'error';
export const CHECK_STATUSES: readonly CheckStatus[] = ['pass', 'fail', 'warn', 'info', 'skip', 'error'];
export type Target = 'mock' | 'live';

/**
 * What kind of deviation a finding is. Reports, drift and billing read these, never the prose message.
 * See src/report/results.schema.json for the shape of each.
 */
export type FindingKind =
  | 'status' // the HTTP status differs from the documented one
  | 'error-code' // the error body's code is none of the documented codes
  | 'error-field' // the request was rejected for another field than the one at fault
  | 'shape' // a body does not match its documented schema
  | 'accepted-invalid' // a request the documents forbid was accepted (a billable task on live targets)
  | 'task-created' // a rejected request still created a task
  | 'default' // an omitted setting's default matches no documented claim
  // the observation matches a documented claim other than the one the spec chose (drift, not a failure)
  | 'claim-followed'
  | 'status-word' // a status word outside the documented vocabulary
  | 'transition' // statuses moved backwards or on after a terminal status
  | 'not-terminal' // no terminal status within the timeout
  | 'download' // the result link did not give a readable video
  | 'link-expiry' // the result link lives longer or shorter than documented
  | 'retry' // the judged client's retry behaviour departs from the documented advice
  | 'client' // the judged client's recorded traffic departs from the documents (verify-client; not provider drift)
  | 'document' // the provider's documents themselves are unsafe or incomplete (e.g. advice that double-bills)
  | 'availability' // a model documented as unavailable answered otherwise
  | 'undocumented' // behaviour observed where no document states what should happen
  // a 429, 5xx, timeout or reset on a check not about those, still there after the documented retries (status error)
  | 'transient'
  | 'evidence'; // what was needed to judge was missing or unreadable (with status error)

/** One typed deviation (or observation): what was expected, what was seen, where, and on whose word. */
export interface Finding {
  kind: FindingKind;
  message: string;
  /** the body field concerned (JSON pointer), when there is one */
  pointer?: string;
  expected?: unknown;
  observed?: unknown;
  /** the documented claim(s) the observation matches, with their sources */
  matches?: string[];
  source?: string;
  /** the expectation is our reading (inferred), not a document's: warns unless --strict */
  inferred?: boolean;
  requestIds?: string[];
  /** tasks a live gateway bills because of this finding */
  billableTasks?: number;
  /** traffic judging: the client (x-client-id or key fingerprint) whose recorded traffic the finding is about */
  client?: string;
}

/** What a check concludes. Pure data: a finding about a provider never throws or aborts a run. */
export interface Verdict {
  status: CheckStatus;
  message: string;
  /** typed deviations and observations behind the status (the message is for people) */
  findings?: Finding[];
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
  /** tasks a live gateway bills for this check: invalid requests it wrongly accepted (the paid default task is counted
   * per provider) */
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
  /** judged again after transient answers (429, 5xx, timeout, reset): how many times in all, and what was seen */
  transient?: { attempts: number; evidence: string[] };
  /**
   * every noisy answer met (429, 5xx, timeout, reset), sent or polled again or not: the operation (create, poll,
   * result, cancel, download), the answer (status or error code) and the exchange named
   */
  noise?: NoiseMet[];
  /** what the probe cost on the wire: requests sent, and the task's timings where it followed one */
  metrics?: CheckMetrics;
}

export interface NoiseMet {
  operation: string;
  answer: string;
  exchange: string;
}

export interface CheckMetrics {
  requests: number;
  createMs?: number;
  queuedMs?: number;
  generatingMs?: number;
  totalMs?: number;
}

/**
 * Everything a probe may use: the provider, how to reach it, and the run's settings (every worker setting of
 * src/core/run-settings-table.ts: target, allowPaid, timeoutSeconds, pollIntervalMs, seed, concurrency, strict, …).
 */
export interface CheckContext extends WorkerSettings {
  spec: ProviderSpec;
  client: GatewayClient;
  /** present on mock targets only */
  mock?: MockControl;
  baseUrl: string;
  apiKey: string;
  /** the secret key that signs minted tokens (token schemes only) */
  secretKey?: string;
  /** the environment variable the key came from: curl repro lines name it, never the key */
  apiKeyEnv: string;
  /** the client whose retry behaviour the retry checks judge (default: the reference client) */
  adapter: ClientAdapter;
  probes: ProbeCache;
  /** where a probe says what it is doing now (a poll's status word): the CLI's live line on a terminal */
  progress?: (note: string) => void;
  /** waits between tries of a check after a transient answer (default real time; tests and mocks pass no-wait) */
  sleep?: (ms: number) => Promise<void>;
  /** live: the clock a probe measures and waits on across the run (a link fetched again later; default real time) */
  clock?: Clock;
  /** unique per run, to trace what this run created on a mock */
  runId: string;
  /** the run's overall deadline (epoch ms): checks not started by then are `error: deadline` */
  deadlineAt?: number;
  /** live runs with a spending plan: the paid items tonight's plan picked (absent: every paid item may spend) */
  paidPicks?: import('./spend-class.ts').PaidPicks;
}

export type CheckCost = 'free' | 'paid' | 'risky';

/**
 * A registered check: a stable id, when it applies, which probe gathers its observation (effects happen
 * there, once per provider), and a pure `evaluate` from (spec, observation) to a verdict.
 */
export interface CheckDefinition<O = unknown> {
  id: string;
  family: string;
  title: string;
  /**
   * What a check costs on a live gateway: 'free' never creates a billable task; 'paid' creates one (needs
   * --allow-paid); 'risky' sends requests the documents forbid: free when the gateway rejects them as documented, a
   * billable task each if it wrongly accepts one (what a spending plan must keep money aside for).
   */
  cost: CheckCost;
  /** 'mock' checks need fault injection or virtual time: skipped on live targets */
  target: 'any' | 'mock';
  /**
   * Where its cost on a live gateway depends on the provider's documents (a first frame documented as accepted is a
   * generation; an invalid body is risky): what the spending plan files it under. Left out: read from `cost` and
   * `family` (spend-class.ts).
   */
  spendClass?(spec: ProviderSpec): SpendClass | undefined;
  /**
   * The account's webhook state the check is about, where a provider documents one (a default callback URL and secret
   * configured, or not): 'configured' needs the default URL (`run --callback-default`), 'unconfigured' a run without
   * it; against the other the check skips. The proof that it can fail starts its mock in that state.
   */
  webhook?: 'configured' | 'unconfigured';
  /** a reason to skip for this provider, or undefined when the check applies */
  notApplicable?(spec: ProviderSpec): string | undefined;
  probe(ctx: CheckContext): Promise<O>;
  evaluate(spec: ProviderSpec, observation: O): Verdict;
  /**
   * How to break it, for the proof that it can fail: departures of the gateway or the client, each of which must make
   * it fail (see breakers.ts). A check that applies and declares none fails the proof, unless it `neverFails`.
   */
  breakers?(spec: ProviderSpec): Breaker[];
  /** for a provider where it by design never fails (an observation, a finding about the documents): why */
  neverFails?(spec: ProviderSpec): NeverFails | undefined;
}

/** Memoises probes per provider, so checks that share an observation share one (possibly billable) request. */
export class ProbeCache {
  private readonly cache = new Map<string, Promise<unknown>>();
  private next?: ProbeCache;
  /** the probes of the next try after a transient answer: one per attempt, shared by every check retried */
  retried(): ProbeCache {
    this.next ??= new ProbeCache();
    return this.next;
  }
  get<T>(key: string, run: () => Promise<T>): Promise<T> {
    let hit = this.cache.get(key) as Promise<T> | undefined;
    if (!hit) this.cache.set(key, (hit = run()));
    return hit;
  }
}
