import { request } from 'undici';
import { HarnessError } from '../core/errors.ts';

/** The longest the reachability probe waits for an answer's headers, whatever --timeout allows. */
const PROBE_TIMEOUT_MS = 10_000;

/**
 * An unreachable target is our setup's problem, not a provider finding: exit 2 with what to check. Reachable means
 * "answered with headers": the body is not read (a gateway that drips its page forever is reachable), and the whole
 * probe ends by `deadlineAt` (the run's --timeout) as well as within its own 10 s. A probe the run's deadline cut
 * (or that the deadline passed before) says `deadline`: that is not evidence of an unreachable target, and the run
 * reports its checks as ended by the deadline.
 */
export async function checkReachable(
  baseUrl: string,
  headers?: Record<string, string>,
  deadlineAt = Number.POSITIVE_INFINITY,
): Promise<'reachable' | 'deadline'> {
  // past the deadline nothing is sent: every check reports the deadline, not an unreachable target
  if (Date.now() >= deadlineAt) return 'deadline';
  const budget = Math.max(1, Math.min(PROBE_TIMEOUT_MS, deadlineAt - Date.now()));
  const cutByDeadline = budget < PROBE_TIMEOUT_MS;
  try {
    // with the run's extra headers: a gateway behind a routing header may need them to answer at all
    const res = await request(baseUrl, {
      method: 'GET',
      headers,
      headersTimeout: budget,
      signal: AbortSignal.timeout(budget),
    });
    // headers came: reachable. The body is dropped unread (destroying it reports an abort nobody needs to hear)
    res.body.on('error', () => undefined).destroy();
    return 'reachable';
  } catch (err) {
    const e = err as { code?: string; name?: string; message: string };
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT';
    // the wait was the run's deadline, not the probe's own 10 s: the run ended, the target did not refuse
    if (timedOut && cutByDeadline) return 'deadline';
    throw new HarnessError(
      'TARGET_UNREACHABLE',
      `cannot reach ${baseUrl}: ${timedOut ? `no answer within ${budget} ms` : (e.code ?? e.message)}`,
      { fix: 'check --base-url, the network and any proxy; nothing was tested' },
    );
  }
}
