import { GatewayClient } from './gateway-client.ts';
import type { ProviderSpec } from '../spec/model.ts';

/**
 * How the retry checks drive a client: yours or ours. Implement `create` with your client and make it wait
 * only through `env.sleep` (and draw jitter from `env.random`), so the checks run in virtual time.
 *
 * @example
 * ```ts
 * export const adapter: ClientAdapter = {
 *   name: 'my-client',
 *   async create({ baseUrl, apiKey, body, headers }, env) {
 *     const client = new MyVideoClient({ baseUrl, apiKey, sleep: env.sleep });
 *     const res = await client.createVideo(body, { headers });
 *     return { status: res.status, body: res.data };
 *   },
 * };
 * ```
 */
export interface ClientAdapter {
  name: string;
  create(
    input: {
      spec: ProviderSpec;
      baseUrl: string;
      apiKey: string;
      secretKey?: string;
      body: unknown;
      headers: Record<string, string>;
    },
    env: ClientEnv,
  ): Promise<{ status?: number; body?: unknown; error?: string }>;
}

/**
 * What the checks lend a judged client: virtual time and the jitter draw. Wait only through `sleep`, read time
 * only through `now` (an HTTP-date Retry-After is relative to it), draw jitter only from `random` — the checks pin
 * it (e.g. to its top) to see the documented delay behind your jitter.
 */
export interface ClientEnv {
  sleep(ms: number): Promise<void>;
  /** ms since the epoch on the check's virtual clock */
  now(): number;
  /** 0 ≤ x < 1 */
  random(): number;
}

function gatewayAdapter(name: string, retryUnsafePost: boolean): ClientAdapter {
  return {
    name,
    async create({ spec, baseUrl, apiKey, secretKey, body, headers }, env) {
      const client = new GatewayClient(spec, {
        baseUrl,
        apiKey,
        secretKey,
        clock: { now: env.now, sleep: env.sleep },
        random: env.random,
        retryUnsafePost,
      });
      try {
        const r = await client.createTask(body, { headers });
        return { status: r.status, body: r.body, error: r.error?.message };
      } finally {
        await client.close();
      }
    },
  };
}

/** The harness's reference client as an adapter: undici RetryAgent configured from the spec's retry advice. */
export const referenceAdapter: ClientAdapter = gatewayAdapter('reference (undici RetryAgent from the spec)', false);

/**
 * The documented advice followed to the letter, even where it is unsafe (a create retried after a 500 with no
 * idempotency key): what the retry.500.advice check uses to show what the documents would cost a client.
 */
export const literalAdviceAdapter: ClientAdapter = gatewayAdapter('the documented advice, followed literally', true);
