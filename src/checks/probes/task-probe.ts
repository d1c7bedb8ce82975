import { isSuccess } from '../../spec/operations.ts';
import { getAt } from '../../core/json-pointer.ts';
import { isTerminal, phaseOf, statusWordOf } from '../../spec/status-phase.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { probeMp4, type VideoProbe } from '../../client/probe-video.ts';
import { resolveSettings, type ResolvedSettings } from '../../spec/resolve-settings.ts';
import type { CheckContext } from '../types.ts';
import { systemClock } from '../../core/clock.ts';
import { summarise, type ExchangeSummary } from './exchange-summary.ts';
import { defaultsBody } from './request-bodies.ts';

export interface TaskObservation {
  sent: Record<string, unknown>;
  /** what the spec's chosen claims say the provider should produce for `sent` */
  expected: ResolvedSettings;
  create: ExchangeSummary;
  taskId?: string;
  polls: ExchangeSummary[];
  /** the status words seen, create first */
  statuses: string[];
  terminal?: string;
  timedOut: boolean;
  /** live: the task's own deadline, seconds after its create */
  taskTimeoutSeconds?: number;
  resultUrl?: string;
  /** the result operation's answer, where the spec reads the result URL from a separate operation */
  result?: ExchangeSummary;
  download?: { status?: number; video?: VideoProbe; error?: string; code?: string; contentType?: string };
  /**
   * mock only: the link fetched again just before and just after each documented lifetime (virtual seconds
   * after the first download), so a link that expires early or never is told apart from one that follows a claim
   */
  linkChecks?: { atSeconds: number; status?: number }[];
  /** when the result was first downloaded (epoch ms on the run's clock): a later re-fetch is timed from it */
  downloadedAt?: number;
  /** the link's own lifetime as the body carrying it states it (resultLink.ttlPointer), in seconds */
  linkTtlSeconds?: number;
  /** what the task's life took on this target: the create's answer, time queued, time generating, total to a downloaded
   * result */
  timing?: TaskTiming;
}

export interface TaskTiming {
  createMs?: number;
  queuedMs?: number;
  generatingMs?: number;
  totalMs?: number;
}

/**
 * The one billable task per provider: create with duration/resolution/aspect ratio omitted, poll to the end,
 * download and probe the video. Defaults, shapes and lifecycle checks all judge this one observation.
 */
export function observeDefaultTask(ctx: CheckContext): Promise<TaskObservation> {
  return observeTask(ctx, 'default-task', defaultsBody(ctx.spec));
}

/**
 * One billable task followed to its video: `name` is the probe (memoised per provider) and the paid item it spends
 * as; the result link is checked again after its lifetimes on mocks, for the default task only.
 */
export function observeTask(ctx: CheckContext, name: string, sent: Record<string, unknown>): Promise<TaskObservation> {
  return ctx.probes.get(name, async () => {
    const { spec, client } = ctx;
    const lc = spec.x.lifecycle;
    const create = summarise(await client.createTask(sent, { headers: trace(ctx, name), spendAs: name }));
    const observation: TaskObservation = {
      sent,
      expected: resolveSettings(spec, sent),
      create,
      polls: [],
      statuses: [],
      timedOut: false,
    };
    const createStatus = client.statusOf({ body: create.body } as never, 'create');
    if (createStatus) observation.statuses.push(createStatus);
    observation.taskId = client.taskIdOf({ status: create.status, body: create.body } as never);
    if (!isSuccess(spec, 'create', create.status) || !observation.taskId) return observation;

    // the task's own deadline (--task-timeout, else half the run's): a task that never ends fails
    // lifecycle.terminal and leaves the rest of the run its time
    const taskSeconds = ctx.taskTimeoutSeconds ?? Math.max(1, Math.floor(ctx.timeoutSeconds / 2));
    observation.taskTimeoutSeconds = taskSeconds;
    const maxPolls = ctx.target === 'mock' ? 20 : Math.max(1, Math.ceil((taskSeconds * 1000) / ctx.pollIntervalMs));
    ctx.progress?.(`task ${observation.taskId} created`);
    const polls = await client.waitForTask(observation.taskId, {
      maxPolls,
      intervalMs: ctx.target === 'mock' ? 0 : ctx.pollIntervalMs,
      until: ctx.target === 'mock' ? undefined : (create.startedAt ?? Date.now()) + taskSeconds * 1000,
      onPoll: (p, status) => ctx.progress?.(`poll ${status ?? p.status ?? p.error?.code}`),
    });
    observation.polls = polls.map(summarise);
    for (const p of polls) {
      const status = client.statusOf(p, 'poll');
      if (status) observation.statuses.push(status);
    }
    observation.timing = taskTiming(spec, create, observation.polls);
    const last = observation.statuses.at(-1);
    if (isTerminal(spec, last)) observation.terminal = last;
    else observation.timedOut = true;
    if (phaseOf(spec, last) !== 'succeeded') return observation;

    // the URL is in the last poll, or (fal) in the answer of a separate result operation
    const carrier = await client.resultExchange(observation.taskId, polls.at(-1)!);
    if (carrier !== polls.at(-1)) observation.result = summarise(carrier);
    const url = getAt(carrier.body, lc.resultUrlPointer);
    if (typeof url !== 'string') return observation;
    observation.resultUrl = url;
    const ttl = spec.x.resultLink.ttlPointer ? Number(getAt(carrier.body, spec.x.resultLink.ttlPointer.pointer)) : NaN;
    if (Number.isFinite(ttl) && ttl >= 0) observation.linkTtlSeconds = ttl;
    observation.download = await downloadAndProbe(ctx, url);
    observation.downloadedAt = (ctx.clock ?? systemClock).now();
    if (observation.download?.video && create.startedAt !== undefined)
      observation.timing.totalMs = Date.now() - create.startedAt;
    if (ctx.mock && observation.download?.video && name === 'default-task') {
      observation.linkChecks = [];
      let elapsed = 0;
      const lifetimes = spec.x.resultLink.lifetimeSeconds.map((c) => c.value);
      const ttl = observation.linkTtlSeconds;
      for (const at of linkCheckpoints(ttl === undefined ? lifetimes : [...lifetimes, ttl])) {
        await ctx.mock.advanceClock((at - elapsed) * 1000);
        elapsed = at;
        observation.linkChecks.push({ atSeconds: at, status: (await client.download(url)).status });
      }
    }
    return observation;
  });
}

/**
 * Queued: from the create until a poll first shows the task past its initial word; generating: from then until a
 * poll shows it ended. Measured between polls, so each is as fine as the poll interval (documented in the report).
 */
export function taskTiming(spec: ProviderSpec, create: ExchangeSummary, polls: ExchangeSummary[]): TaskTiming {
  const t0 = create.startedAt;
  const at = (p: ExchangeSummary) => (p.startedAt ?? 0) + (p.elapsedMs ?? 0);
  const phase = (p: ExchangeSummary) => phaseOf(spec, statusWordOf(spec, p.body));
  const running = polls.find((p) => phase(p) !== undefined && phase(p) !== 'initial');
  const ended = polls.find((p) => phase(p) === 'succeeded' || phase(p) === 'failed');
  return {
    createMs: create.elapsedMs,
    ...(t0 !== undefined && running ? { queuedMs: Math.max(0, at(running) - t0) } : {}),
    ...(running && ended ? { generatingMs: Math.max(0, at(ended) - at(running)) } : {}),
  };
}

async function downloadAndProbe(ctx: CheckContext, url: string): Promise<TaskObservation['download']> {
  const res = await ctx.client.download(url);
  if (res.error || res.status !== 200 || !res.bytes)
    return { status: res.status, error: res.error?.message ?? `HTTP ${res.status}`, code: res.error?.code };
  const contentType = res.headers['content-type'];
  try {
    return { status: res.status, video: probeMp4(res.bytes), ...(contentType ? { contentType } : {}) };
  } catch (err) {
    return { status: res.status, error: (err as Error).message };
  }
}

/** Headers that let a mock attribute what this probe created (ignored by live gateways). */
export function trace(ctx: CheckContext, probe: string): Record<string, string> {
  return { 'x-mock-scenario-id': `${ctx.runId}:${ctx.spec.id}:${probe}` };
}

/** One second before and after each documented lifetime, in order (virtual time only moves forward). */
export function linkCheckpoints(lifetimes: number[]): number[] {
  return [...new Set(lifetimes.flatMap((l) => [Math.max(0, l - 1), l + 1]))].sort((a, b) => a - b);
}
