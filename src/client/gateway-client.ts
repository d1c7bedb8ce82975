import { randomUUID } from 'node:crypto';
import { Agent } from 'undici';
import { systemClock, type Clock } from '../core/clock.ts';
import { getAt, setAt } from '../core/json-pointer.ts';
import { registerSecret } from '../core/redact.ts';
import { settingDefault } from '../core/run-settings.ts';
import { dedupeKey } from '../spec/dedupe-key.ts';
import { envelopeFailure, firstString } from '../spec/envelope.ts';
import type { OperationModel, ProviderSpec } from '../spec/model.ts';
import type { TaskOperationName } from '../spec/task-model.ts';
import { isSuccess, resultOperation, taskOperation } from '../spec/operations.ts';
import { isTerminal, statusWordOf } from '../spec/status-phase.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { pinnedLookup, resultLinkAddress } from '../validate/outbound-address.ts';
import type { GatewayClientOptions } from './client-options.ts';
import { BUDGET_REFUSAL, unsentExchange, type Exchange, type RequestExtras } from './exchange.ts';
import { FollowedUrls } from './followed-urls.ts';
import { sendRequest, type SendOptions } from './send-request.ts';
import { reserveCreate, settleCreate, spendKeyOf } from './spend-hold.ts';
import { cappedRetryAfterMs, isTransientAnswer } from './transient-answer.ts';

export type { Exchange, RequestExtras } from './exchange.ts';
export type { GatewayClientOptions } from './client-options.ts';
export { isTransientAnswer } from './transient-answer.ts';

/**
 * The harness's reference client for one provider: the documented endpoints, the documented auth scheme, and the
 * documented retry advice as undici RetryAgent policy. Checks talk to mocks and live gateways only through it.
 * Sending is send-request.ts; the spend ledger's hold and settlement of each create is spend-hold.ts.
 */
export class GatewayClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  private readonly urls: FollowedUrls;

  constructor(
    readonly spec: ProviderSpec,
    readonly options: GatewayClientOptions,
  ) {
    registerSecret(options.apiKey);
    registerSecret(options.secretKey);
    for (const v of Object.values(options.headers ?? {})) registerSecret(v);
    this.timeoutMs = options.timeoutMs ?? settingDefault('requestTimeoutMs');
    this.agent = new Agent({ connect: { timeout: this.timeoutMs } });
    this.clock = options.clock ?? systemClock;
    this.urls = new FollowedUrls(spec, options.baseUrl);
  }

  /**
   * `spendAs`: what the spend ledger holds this create for — 'risky' (billed only if wrongly accepted) or the paid
   * item it spends on (default: 'risky' for a body the documents forbid, else 'paid')
   */
  async createTask(
    body: unknown,
    extra: RequestExtras & { retry?: boolean; spendAs?: string } = {},
  ): Promise<Exchange> {
    const sent = this.withIdempotencyKey(body);
    const key = dedupeKey(this.spec);
    const idempotent = Boolean(key && getAt(sent, key) !== undefined);
    const ledger = this.options.ledger;
    const billed = ledger && !this.options.record && (extra.auth ?? 'valid') === 'valid' && extra.apiKey !== null;
    const spendKey = spendKeyOf(this.spec.id, extra.headers);
    const hold = billed ? await reserveCreate(this.spec, ledger, sent, extra.spendAs, spendKey) : undefined;
    if (hold && 'refused' in hold) {
      const url = this.options.baseUrl.replace(/\/$/, '') + this.spec.create.path;
      return unsentExchange('POST', url, sent, { code: BUDGET_REFUSAL, message: hold.refused });
    }
    const exchange = await this.send('POST', this.spec.create.path, {
      body: sent,
      idempotent,
      ...extra,
      spendAs: extra.spendAs ?? (compileValidators(this.spec).request(sent).valid ? 'paid' : 'risky'),
      spendKey,
    });
    this.urls.remember(exchange, this.taskIdOf(exchange));
    if (ledger && hold && 'id' in hold)
      await settleCreate(this.spec, ledger, hold, sent, exchange, {
        taskIdOf: (x) => this.taskIdOf(x),
        cancel: (taskId) => this.callTaskOperation('cancel', taskId),
      });
    return exchange;
  }

  /** only a key the documents say deduplicates creates makes a retried create safe: added where it is missing */
  private withIdempotencyKey(body: unknown): unknown {
    const key = dedupeKey(this.spec);
    if (!key || !(this.options.autoIdempotencyKey ?? true) || !body || typeof body !== 'object') return body;
    if (getAt(body, key) !== undefined) return body;
    const sent = structuredClone(body) as Record<string, unknown>;
    setAt(sent, key, `kc-${randomUUID()}`);
    return sent;
  }

  /** The task's status (the poll operation). */
  async getTask(taskId: string, extra: RequestExtras = {}): Promise<Exchange> {
    return this.callTaskOperation('poll', taskId, extra);
  }

  /** A declared task operation (poll, result, cancel) for a task: the URL the create response named, else the
   * documented path. */
  async callTaskOperation(name: TaskOperationName, taskId: string, extra: RequestExtras = {}): Promise<Exchange> {
    const op = taskOperation(this.spec, name);
    if (!op)
      return unsentExchange('GET', '', undefined, {
        code: 'NOT_DOCUMENTED',
        message: `no ${name} operation is documented`,
      });
    const where = op.decl.taskId;
    const path =
      this.urls.get(name, taskId) ??
      (where.in === 'path'
        ? op.model.path.replace(`{${where.name}}`, encodeURIComponent(taskId))
        : `${op.model.path}?${where.name}=${encodeURIComponent(taskId)}`);
    return this.send(op.model.method, path, { idempotent: op.model.method !== 'POST', ...extra });
  }

  /**
   * Result links are signed URLs: fetched without the API key, and only from an address the outbound policy allows
   * (public, or loopback when the base URL is), pinned to the address that was judged.
   */
  async download(url: string): Promise<Exchange> {
    const opts = { idempotent: true, apiKey: null, raw: true, retry: false } as const;
    if (this.options.record) return this.send('GET', url, opts);
    const where = await resultLinkAddress(url, this.options.baseUrl);
    if ('refused' in where)
      return unsentExchange('GET', url, undefined, { code: 'ADDRESS_REFUSED', message: where.refused });
    const agent = new Agent({ connect: { timeout: this.timeoutMs, lookup: pinnedLookup(where) } });
    try {
      return await this.send('GET', url, { ...opts, agent });
    } finally {
      void agent.close();
    }
  }

  /** The task id from a create response, at the documented pointer. */
  taskIdOf(exchange: Exchange): string | undefined {
    // a 2xx whose documented envelope says failure created nothing
    if (envelopeFailure(this.spec, exchange.status ?? 200, exchange.body)) return undefined;
    const lc = this.spec.x.lifecycle;
    return firstString(exchange.body, [lc.idPointer, ...(lc.idFallbackPointers ?? [])]);
  }

  statusOf(exchange: Exchange, operation: 'create' | 'poll'): string | undefined {
    return statusWordOf(this.spec, exchange.body, operation);
  }

  /** The body that carries the result URL: the last poll, or (where the spec says so) the result operation's answer. */
  async resultExchange(taskId: string, lastPoll: Exchange): Promise<Exchange> {
    return resultOperation(this.spec) === 'result' ? this.callTaskOperation('result', taskId) : lastPoll;
  }

  /** Polls until a terminal status or `maxPolls`, waiting `intervalMs` (on the client's clock) between polls. */
  async waitForTask(
    taskId: string,
    options: {
      maxPolls: number;
      intervalMs: number;
      onPoll?: (poll: Exchange, status: string | undefined) => void;
      /** the task's own deadline (epoch ms): no poll starts after it */
      until?: number;
    },
  ): Promise<Exchange[]> {
    const polls: Exchange[] = [];
    // polls in a row answered transiently: the next poll is their repeat, its attempt one more
    let noisyInARow = 0;
    for (let i = 0; i < options.maxPolls; i++) {
      if (this.options.deadlineAt !== undefined && Date.now() >= this.options.deadlineAt) break;
      if (options.until !== undefined && Date.now() >= options.until) break;
      const wait = Math.max(options.intervalMs, cappedRetryAfterMs(polls.at(-1)?.headers['retry-after']));
      if (i > 0 && wait > 0) await this.clock.sleep(wait);
      const poll = await this.getTask(taskId);
      poll.attempt = noisyInARow + 1;
      polls.push(poll);
      const status = this.statusOf(poll, 'poll');
      options.onPoll?.(poll, status);
      // a 429 or 5xx on a poll is noise, not an answer about the task: the poll is tried again in place (the task
      // is never created again), within maxPolls and the run deadline
      noisyInARow = isTransientAnswer(poll) ? noisyInARow + 1 : 0;
      if (noisyInARow) continue;
      if (
        !isSuccess(this.spec, 'poll', poll.status) ||
        envelopeFailure(this.spec, poll.status, poll.body) ||
        isTerminal(this.spec, status)
      )
        break;
    }
    return polls;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private send(method: OperationModel['method'], pathOrUrl: string, opts: SendOptions): Promise<Exchange> {
    const sender = { spec: this.spec, options: this.options, agent: this.agent, clock: this.clock };
    return sendRequest({ ...sender, timeoutMs: this.timeoutMs }, method, pathOrUrl, opts);
  }
}
