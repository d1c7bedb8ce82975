import { systemClock } from '../../core/clock.ts';
import type { CheckContext } from '../types.ts';
import { observeDefaultTask, type TaskObservation } from './task-probe.ts';

/** The result link fetched again some time after its first download, and what it answered then. */
export interface LinkRefetch {
  task: TaskObservation;
  /** the re-fetch as sent and answered (an exchange summary: the transient classifier reads it) */
  refetch?: { method: 'GET'; url: string; status?: number; error?: string; afterSeconds: number };
  /** how long after the first download the re-fetch was meant to be (--link-recheck) */
  recheckSeconds: number;
  /** why the link was not re-fetched, or not as late as meant */
  note?: string;
}

/** Of the time left before the run's deadline, at most this share is spent waiting to re-fetch a link. */
const WAIT_SHARE = 0.25;

/**
 * Late in the run, the default task's result link again. Live: waited for on the run's clock until --link-recheck
 * seconds after the first download where the deadline leaves room (else fetched at once, the shortfall noted).
 * Mocks run in virtual time: the default task's link checks already fetched it just before each documented
 * lifetime ended; the last of those before the shortest lifetime stands for the re-fetch.
 */
export async function observeLinkRefetch(ctx: CheckContext): Promise<LinkRefetch> {
  const task = await observeDefaultTask(ctx);
  const recheckSeconds = ctx.linkRecheckSeconds;
  if (!task.resultUrl || !task.download?.video || task.downloadedAt === undefined)
    return { task, recheckSeconds, note: 'no downloaded result whose link could be fetched again' };
  if (ctx.mock) {
    const shortest = Math.min(...ctx.spec.x.resultLink.lifetimeSeconds.map((c) => c.value));
    const late = task.linkChecks?.filter((c) => c.atSeconds < shortest).at(-1);
    if (!late) return { task, recheckSeconds, note: 'the link was not fetched again before its lifetime ended' };
    const refetch = { method: 'GET' as const, url: task.resultUrl, status: late.status, afterSeconds: late.atSeconds };
    return { task, recheckSeconds: late.atSeconds, refetch };
  }
  const clock = ctx.clock ?? systemClock;
  const waitMs = task.downloadedAt + recheckSeconds * 1000 - clock.now();
  const roomMs = ctx.deadlineAt === undefined ? Infinity : (ctx.deadlineAt - Date.now()) * WAIT_SHARE;
  if (waitMs > 0 && waitMs <= roomMs) {
    ctx.progress?.(`waiting ${Math.ceil(waitMs / 1000)} s to fetch the result link again`);
    await clock.sleep(waitMs);
  }
  const res = await ctx.client.download(task.resultUrl);
  const afterSeconds = Math.floor((clock.now() - task.downloadedAt) / 1000);
  return {
    task,
    recheckSeconds,
    refetch: {
      method: 'GET',
      url: task.resultUrl,
      status: res.status,
      ...(res.error ? { error: `${res.error.code}: ${res.error.message}` } : {}),
      afterSeconds,
    },
    ...(waitMs > roomMs ? { note: `the run's deadline left no room to wait ${Math.ceil(waitMs / 1000)} s` } : {}),
  };
}
