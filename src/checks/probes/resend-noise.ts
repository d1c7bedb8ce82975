import type { Exchange } from '../../client/exchange.ts';
import { isTransientAnswer } from '../../client/gateway-client.ts';
import { retryAfterOf, transientRetrySchedule, type TransientEvidence } from '../transient.ts';
import type { CheckContext } from '../types.ts';
import { taskOfCreate } from '../request-task.ts';

/** What one request finally got, and the noisy answers (429, 5xx, reset) it was sent again after. */
export interface ResentExchange {
  exchange: Exchange;
  noise: TransientEvidence[];
}

/**
 * Sends a request again in place after a transient answer, as the provider's documents advise (their delays,
 * Retry-After honoured up to its cap). A 429 created nothing, so it is always safe to repeat; a 5xx is repeated
 * only when `repeat5xx` says so (a create the gateway should refuse anyway), since it may have created a task.
 */
export async function resendAfterNoise(
  ctx: Pick<CheckContext, 'spec' | 'sleep' | 'deadlineAt'>,
  send: () => Promise<Exchange>,
  repeat5xx: boolean,
): Promise<ResentExchange> {
  const noise: TransientEvidence[] = [];
  let attempt = 1;
  let exchange = Object.assign(await send(), { attempt });
  while (isTransientAnswer(exchange)) {
    const seen = evidenceOf(exchange, attempt);
    noise.push(seen);
    if (attempt > MAX_RESENDS || (exchange.status !== 429 && !repeat5xx)) break;
    const delay = transientRetrySchedule(ctx.spec, [seen])[0];
    if (delay === undefined || (ctx.deadlineAt !== undefined && Date.now() + delay >= ctx.deadlineAt)) break;
    await (ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(delay);
    attempt += 1;
    exchange = Object.assign(await send(), { attempt });
  }
  // each noisy try is labelled with the task the request made in the end (none: a create refused, as it should be)
  const task = taskOfCreate(ctx.spec, exchange);
  return { exchange, noise: task === undefined ? noise : noise.map((n) => ({ ...n, task, operation: 'create' })) };
}

/** A request sent again in place at most this many times after noise. */
const MAX_RESENDS = 3;

/** A noisy answer, named: the request, its status (or error code), its Retry-After, which try it was. */
function evidenceOf(exchange: Exchange, attempt: number): TransientEvidence {
  const retryAfterMs = retryAfterOf(exchange.headers);
  return {
    request: `${exchange.method} ${exchange.url}`,
    ...(exchange.status !== undefined ? { status: exchange.status } : { error: exchange.error?.code }),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    attempt,
    ...(exchange.requestId ? { requestId: exchange.requestId } : {}),
  };
}
