import { request } from 'undici';
import { HarnessError } from '../core/errors.ts';

/** An unreachable target is our setup's problem, not a provider finding: exit 2 with what to check. */
export async function checkReachable(baseUrl: string, headers?: Record<string, string>): Promise<void> {
  try {
    // with the run's extra headers: a gateway behind a routing header may need them to answer at all
    const res = await request(baseUrl, { method: 'GET', headers, headersTimeout: 10_000, bodyTimeout: 10_000 });
    await res.body.dump();
  } catch (err) {
    const e = err as { code?: string; message: string };
    throw new HarnessError('TARGET_UNREACHABLE', `cannot reach ${baseUrl}: ${e.code ?? e.message}`, {
      fix: 'check --base-url, the network and any proxy; nothing was tested',
    });
  }
}
