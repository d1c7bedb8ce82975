import { randomBytes } from 'node:crypto';
import { GatewayClient, type GatewayClientOptions } from '../client/gateway-client.ts';
import { MockControl } from '../client/mock-control.ts';
import { referenceAdapter, type ClientAdapter } from '../client/client-adapter.ts';
import { ProbeCache, type CheckContext, type Target } from '../checks/types.ts';
import type { ProviderSpec } from '../spec/model.ts';

export interface ContextOptions {
  target: Target;
  baseUrl: string;
  apiKey: string;
  /** the secret key that signs minted tokens, where the spec's auth scheme mints them */
  secretKey?: string;
  /** the variable the key was read from, for curl repro lines (default KLING_API_KEY) */
  apiKeyEnv?: string;
  /** default false */
  allowPaid?: boolean;
  /** default 600 s */
  timeoutSeconds?: number;
  /** default 5000 ms (live only; mocks progress per poll) */
  pollIntervalMs?: number;
  /** default: the reference client */
  adapter?: ClientAdapter;
  /** default: random */
  runId?: string;
  /** seed for generated cases (default 1) */
  seed?: number;
  /** boundary cases in flight at once (default 4) */
  concurrency?: number;
  /** judge inferred facts like documented ones (default false: they warn) */
  strict?: boolean;
  /** the run's overall deadline, epoch ms (default none) */
  deadlineAt?: number;
  /** result downloads larger than this are cut off (default: from the spec) */
  maxVideoBytes?: number;
  /** each request ends within this, headers and body (default 30 s) */
  requestTimeoutMs?: number;
  /** dry run: record each request instead of sending it */
  record?: GatewayClientOptions['record'];
  /** extra headers on every request (-H) */
  headers?: Record<string, string>;
  /** live runs: the shared spend ledger (budget, mistaken tasks cancelled) */
  ledger?: GatewayClientOptions['ledger'];
  /** live runs with a spending plan: the paid items tonight's plan picked */
  paidPicks?: CheckContext['paidPicks'];
}

/** Everything the checks of one provider share in one run: one client, one probe cache. */
export function createCheckContext(spec: ProviderSpec, options: ContextOptions): CheckContext {
  return {
    spec,
    target: options.target,
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    secretKey: options.secretKey,
    apiKeyEnv: options.apiKeyEnv ?? 'KLING_API_KEY',
    allowPaid: options.allowPaid ?? false,
    timeoutSeconds: options.timeoutSeconds ?? 600,
    pollIntervalMs: options.pollIntervalMs ?? 5000,
    adapter: options.adapter ?? referenceAdapter,
    // checks send exactly the bodies they built: no retries, no idempotency key added
    client: new GatewayClient(spec, {
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      secretKey: options.secretKey,
      retry: false,
      autoIdempotencyKey: false,
      deadlineAt: options.deadlineAt,
      maxVideoBytes: options.maxVideoBytes,
      timeoutMs: options.requestTimeoutMs,
      record: options.record,
      ledger: options.ledger,
      headers: options.headers,
    }),
    mock: options.target === 'mock' ? new MockControl(options.baseUrl) : undefined,
    probes: new ProbeCache(),
    runId: options.runId ?? randomBytes(4).toString('hex'),
    seed: options.seed ?? 1,
    concurrency: options.concurrency ?? 4,
    strict: options.strict ?? false,
    deadlineAt: options.deadlineAt,
    paidPicks: options.paidPicks,
    // a mock's transient answers are scripted: trying again need not wait
    ...(options.target === 'mock' ? { sleep: () => Promise.resolve() } : {}),
  };
}
