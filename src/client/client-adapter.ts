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
    input: { spec: ProviderSpec; baseUrl: string; apiKey: string; body: unknown; headers: Record<string, string> },
    env: { sleep(ms: number): Promise<void>; random(): number },
  ): Promise<{ status?: number; body?: unknown; error?: string }>;
}

/** The harness's reference client as an adapter: undici RetryAgent configured from the spec's retry advice. */
export const referenceAdapter: ClientAdapter = {
  name: 'reference (undici RetryAgent from the spec)',
  async create({ spec, baseUrl, apiKey, body, headers }, env) {
    const client = new GatewayClient(spec, { baseUrl, apiKey, clock: { now: () => 0, sleep: env.sleep }, random: env.random });
    try {
      const r = await client.createTask(body, { headers });
      return { status: r.status, body: r.body, error: r.error?.message };
    } finally {
      await client.close();
    }
  },
};
