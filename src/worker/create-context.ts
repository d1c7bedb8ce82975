import { randomBytes } from 'node:crypto';
import { GatewayClient, type GatewayClientOptions } from '../client/gateway-client.ts';
import { MockControl } from '../client/mock-control.ts';
import { referenceAdapter, type ClientAdapter } from '../client/client-adapter.ts';
import { ProbeCache, type CheckContext } from '../checks/types.ts';
import { workerSettings, type WorkerSettings } from '../core/run-settings.ts';
import type { ProviderSpec } from '../spec/model.ts';

/** The worker settings of the table (each defaulted there), and what one provider's checks are handed. */
export interface ContextOptions extends Partial<WorkerSettings> {
  baseUrl: string;
  apiKey: string;
  /** the secret key that signs minted tokens, where the spec's auth scheme mints them */
  secretKey?: string;
  /** the variable the key was read from, for curl repro lines (default KLING_API_KEY) */
  apiKeyEnv?: string;
  /** default: the reference client */
  adapter?: ClientAdapter;
  /** default: random */
  runId?: string;
  /** the run's overall deadline, epoch ms (default none) */
  deadlineAt?: number;
  /** dry run: record each request instead of sending it */
  record?: GatewayClientOptions['record'];
  /** live runs: the shared spend ledger (budget, mistaken tasks cancelled) */
  ledger?: GatewayClientOptions['ledger'];
  /** live runs with a spending plan: the paid items tonight's plan picked */
  paidPicks?: CheckContext['paidPicks'];
  /** the clock probes measure and wait on across the run (default real time) */
  clock?: CheckContext['clock'];
}

/** Everything the checks of one provider share in one run: one client, one probe cache. */
export function createCheckContext(spec: ProviderSpec, options: ContextOptions): CheckContext {
  const settings = workerSettings(options);
  return {
    ...settings,
    spec,
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    secretKey: options.secretKey,
    apiKeyEnv: options.apiKeyEnv ?? 'KLING_API_KEY',
    adapter: options.adapter ?? referenceAdapter,
    // checks send exactly the bodies they built: no retries, no idempotency key added
    client: new GatewayClient(spec, {
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      secretKey: options.secretKey,
      retry: false,
      autoIdempotencyKey: false,
      deadlineAt: options.deadlineAt,
      maxVideoBytes: settings.maxVideoBytes,
      timeoutMs: settings.requestTimeoutMs,
      record: options.record,
      ledger: options.ledger,
      headers: settings.headers,
    }),
    mock: settings.target === 'mock' ? new MockControl(options.baseUrl) : undefined,
    probes: new ProbeCache(),
    runId: options.runId ?? randomBytes(4).toString('hex'),
    deadlineAt: options.deadlineAt,
    paidPicks: options.paidPicks,
    clock: options.clock,
    // a mock's transient answers are scripted: trying again need not wait
    ...(settings.target === 'mock' ? { sleep: () => Promise.resolve() } : {}),
  };
}
