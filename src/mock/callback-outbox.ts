import type { CallbackRedelivery } from '../spec/callback-model.ts';
import { postCallback, type CallbackAnswer } from './callback-target.ts';
import { signedDelivery, type CallbackDelivery, type PreparedEvent } from './callback-delivery.ts';
import { keepRecord, type CallbackRecord } from './callbacks.ts';
import type { MockState } from './mock-state.ts';
import { recordAttempt } from './callback-har.ts';

/** The longest the mock waits for a callback receiver, whatever a spec documents. */
const MAX_CALLBACK_TIMEOUT_MS = 30_000;
/** Events whose delivery is not over (in flight or waiting to be sent again) at once, by default. */
export const MAX_PENDING_CALLBACKS = 1000;

/** One event on its way to one URL: its attempts so far, and what stops its later ones. */
interface Job {
  url: string;
  event: PreparedEvent;
  redeliver: boolean;
  attempts: number;
  firstAt?: number;
  stop: AbortController;
}

/**
 * The mock's outgoing callbacks: each event is POSTed, and sent again by `callbacks.retryDelaysSeconds` (scaled by
 * the mock's `callbackRetryScale`) while `callbacks.redelivery` says the attempt failed, with the same event id,
 * signed anew for each attempt. Waits are on the mock's clock (virtual in tests) and end when the mock stops.
 * Bounded: at most `maxPendingCallbacks` events are pending at once (each holds one wait and its body); one more
 * gives up the oldest's later attempts (recorded as `abandoned`, counted in /__mock/info).
 */
export class CallbackOutbox {
  private readonly jobs = new Set<Job>();
  /** events whose later attempts were given up for the bound */
  abandoned = 0;

  constructor(
    private readonly state: MockState,
    readonly max = MAX_PENDING_CALLBACKS,
  ) {}

  /** Events whose delivery is not over. */
  get size(): number {
    return this.jobs.size;
  }

  /** Sends `event` to `url` (and again on failure when `redeliver`); resolves with the first attempt's record. */
  send(url: string, event: PreparedEvent, redeliver = true): Promise<CallbackRecord> {
    if (this.jobs.size >= this.max) this.giveUpOldest();
    const job: Job = { url, event, redeliver, attempts: 0, stop: new AbortController() };
    this.jobs.add(job);
    const first = this.attempt(job);
    void this.continue(job, first);
    return first;
  }

  /** After each failed attempt, the documented wait, then the next attempt; until one delivers or none is left. */
  private async continue(job: Job, attempt: Promise<CallbackRecord>): Promise<void> {
    try {
      for (let record = await attempt; ; record = await this.attempt(job)) {
        const wait = this.waitAfter(job, record);
        if (wait === undefined || job.stop.signal.aborted) return;
        record.nextAttemptAt = this.state.clock.now() + wait;
        await this.state.clock.sleep(wait, job.stop.signal);
        if (job.stop.signal.aborted) return;
      }
    } finally {
      this.jobs.delete(job);
    }
  }

  /** The wait before the next attempt, or undefined when this one delivered, was refused, or was the last. */
  private waitAfter(job: Job, record: CallbackRecord): number | undefined {
    const callbacks = this.state.spec.x.callbacks;
    const rule = callbacks?.redelivery;
    const delay = callbacks?.retryDelaysSeconds?.[job.attempts - 1];
    if (!job.redeliver || !rule || delay === undefined || record.blocked || delivered(rule, record.status)) return;
    const ms = delay * 1000 * (this.state.options.callbackRetryScale ?? 1);
    return rule.waitFrom === 'first-attempt' ? Math.max(0, job.firstAt! + ms - this.state.clock.now()) : ms;
  }

  /** One POST of the event, signed as of now (or of the first attempt, as documented); recorded either way. */
  private attempt(job: Job): Promise<CallbackRecord> {
    const now = this.state.clock.now();
    job.firstAt ??= now;
    job.attempts += 1;
    const signedAt = this.state.spec.x.callbacks?.redelivery?.timestamp === 'first-attempt' ? job.firstAt : now;
    const delivery = signedDelivery(this.state, job.event, signedAt);
    const sending = this.post(job, delivery).then((answer) => {
      const record = recordOf(job, delivery, answer, now);
      keepRecord(this.state, record);
      return record;
    });
    this.state.pending.add(sending);
    void sending.finally(() => this.state.pending.delete(sending));
    return sending;
  }

  /** The POST under the mock's outbound policy, ended at the documented timeout on the mock's clock or at its stop. */
  private async post(job: Job, delivery: CallbackDelivery): Promise<CallbackAnswer & { timedOut?: boolean }> {
    const timeoutMs = Math.min((this.state.spec.x.callbacks?.timeoutSeconds ?? 10) * 1000, MAX_CALLBACK_TIMEOUT_MS);
    const done = new AbortController();
    const deadline = new AbortController();
    void this.state.clock.sleep(timeoutMs, done.signal).then(() => deadline.abort());
    const started = performance.now();
    try {
      const answer = await postCallback(job.url, delivery, {
        allow: this.state.options.callbackAllow ?? [],
        timeoutMs,
        signal: AbortSignal.any([deadline.signal, this.state.closing.signal]),
      });
      const closing = this.state.closing.signal.aborted;
      const timedOut =
        answer.error !== undefined && !closing && (deadline.signal.aborted || /timeout/i.test(answer.error));
      const result = timedOut ? { ...answer, error: `no answer within ${timeoutMs / 1000} s`, timedOut } : answer;
      recordAttempt(this.state, job, delivery, result, { started, ended: performance.now() });
      return result;
    } finally {
      done.abort();
    }
  }

  /** The bound reached: the oldest event's later attempts are given up, and said so in its record. */
  private giveUpOldest(): void {
    const oldest = this.jobs.values().next().value!;
    this.jobs.delete(oldest);
    oldest.stop.abort();
    this.abandoned += 1;
    keepRecord(this.state, {
      url: oldest.url,
      body: JSON.parse(oldest.event.body) as unknown,
      eventId: oldest.event.id,
      abandoned: `more than ${this.max} deliveries pending: the oldest one's later attempts are given up`,
    });
  }

  /** Every pending wait ends (the mock is stopping). */
  stop(): void {
    for (const job of this.jobs) job.stop.abort();
    this.jobs.clear();
  }
}

/** The answer delivers: its status is one of the documented ones (`2xx` a class, `200` one status). */
export function delivered(rule: CallbackRedelivery, status: number | undefined): boolean {
  if (status === undefined) return false;
  return rule.delivered.some((d) =>
    d.endsWith('xx') ? Math.floor(status / 100) === Number(d[0]) : status === Number(d),
  );
}

function recordOf(
  job: Job,
  delivery: CallbackDelivery,
  answer: CallbackAnswer & { timedOut?: boolean },
  at: number,
): CallbackRecord {
  const headers = Object.keys(delivery.headers).length ? { headers: delivery.headers } : {};
  return {
    url: job.url,
    body: JSON.parse(delivery.body) as unknown,
    ...headers,
    eventId: job.event.id,
    ...(job.event.type ? { type: job.event.type } : {}),
    attempt: job.attempts,
    at,
    ...(answer.status !== undefined ? { status: answer.status } : {}),
    ...(answer.error !== undefined ? { error: answer.error } : {}),
    ...(answer.blocked !== undefined ? { blocked: answer.blocked } : {}),
    ...(answer.timedOut ? { timedOut: true } : {}),
  };
}
