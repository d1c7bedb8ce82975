import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { isTerminal, statusWordOf } from '../spec/status-phase.ts';
import { envelopeFailure, firstString } from '../spec/envelope.ts';
import { dedupeKey } from '../spec/dedupe-key.ts';
import { Agent, request } from 'undici';
import { systemClock, type Clock } from '../core/clock.ts';
import { getAt, setAt } from '../core/json-pointer.ts';
import { registerSecret } from '../core/redact.ts';
import type { OperationModel, ProviderSpec, TaskOperationName } from '../spec/model.ts';
import { isSuccess, resultOperation, taskOperation } from '../spec/operations.ts';
import { authHeader, type AuthVariant } from './auth-header.ts';
import { UNPRICED, type SpendLedger } from '../core/spend-ledger.ts';
import { BUDGET_REFUSAL } from './exchange.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { estimatePrice, maxTaskPrice } from '../spec/price.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import type { Exchange, RequestExtras } from './exchange.ts';
import { readAnswer } from './read-answer.ts';
import { retryingDispatcher } from './retrying-dispatcher.ts';
import { DEFAULT_RETRY_AFTER_CAP_MS, TRANSIENT_ERROR_CODES } from './retry-policy.ts';
import { pinnedLookup, resultLinkAddress } from '../validate/outbound-address.ts';
import { settingDefault } from '../core/run-settings.ts';
import { MAX_JSON_BYTES, maxVideoBytes } from '../spec/read-limits.ts';

export type { Exchange, RequestExtras } from './exchange.ts';

export interface GatewayClientOptions {
  baseUrl: string;
  /**
   * the API key (or, where the spec mints tokens, the access key); registered for redaction, never logged or reported
   */
  apiKey?: string;
  /** the secret key that signs minted tokens (Kling's AK/SK scheme); registered for redaction */
  secretKey?: string;
  /** time source for retry delays and polling; inject a VirtualClock in tests. Default: real time */
  clock?: Clock;
  /** follow the spec's retry advice through undici's RetryAgent (default true) */
  retry?: boolean;
  /** jitter source, 0..1 (default Math.random) */
  random?: () => number;
  /** add the provider's idempotency key to creates that lack one (default true) */
  autoIdempotencyKey?: boolean;
  /** per-request timeout in ms, headers and whole body (default: the run setting --request-timeout's) */
  timeoutMs?: number;
  /** no request goes on past this moment (epoch ms, wall clock): the run's overall deadline */
  deadlineAt?: number;
  /** JSON bodies larger than this are cut off (default MAX_JSON_BYTES, 4 MiB) */
  maxJsonBytes?: number;
  /** result downloads larger than this are cut off (default: from the spec, see maxVideoBytes) */
  maxVideoBytes?: number;
  /** extra headers on every request (-H); the auth header is the spec's and is never overridden */
  headers?: Record<string, string>;
  /** dry run: hand each request to this instead of sending it (nothing leaves the process) */
  record?: (request: { method: string; url: string; body?: unknown; authenticated: boolean; spendAs?: string }) => void;
  /** retry a create without an idempotency key after a 5xx (default false: it may bill twice) */
  retryUnsafePost?: boolean;
  /**
   * live runs: every authenticated create reserves its documented price first (refused once the budget is reached),
   * and a task made from a body the documents forbid is cancelled where a cancel operation is documented
   */
  ledger?: SpendLedger;
}

/**
 * The harness's reference client for one provider: the documented endpoints, the documented auth scheme, and the
 * documented retry advice as undici RetryAgent policy. Checks talk to mocks and live gateways only through it.
 */
export class GatewayClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly clock: Clock;
  /** operation URLs the create responses named, per task (bounded) */
  private readonly urls = new Map<string, string>();

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
  }

  /**
   * `spendAs`: what the spend ledger holds this create for — 'risky' (billed only if wrongly accepted) or the paid
   * item it spends on (default: 'risky' for a body the documents forbid, else 'paid')
   */
  async createTask(
    body: unknown,
    extra: RequestExtras & { retry?: boolean; spendAs?: string } = {},
  ): Promise<Exchange> {
    let sent = body;
    // only a key the documents say deduplicates creates makes a retried create safe
    const key = dedupeKey(this.spec);
    if (
      key &&
      (this.options.autoIdempotencyKey ?? true) &&
      body &&
      typeof body === 'object' &&
      getAt(body, key) === undefined
    ) {
      sent = structuredClone(body) as Record<string, unknown>;
      setAt(sent as Record<string, unknown>, key, `kc-${randomUUID()}`);
    }
    const idempotent = Boolean(key && getAt(sent, key) !== undefined);
    const billed =
      this.options.ledger && !this.options.record && (extra.auth ?? 'valid') === 'valid' && extra.apiKey !== null;
    const hold = billed ? await this.reserve(sent, extra.spendAs) : undefined;
    if (hold && 'refused' in hold)
      return {
        method: 'POST',
        url: this.options.baseUrl.replace(/\/$/, '') + this.spec.create.path,
        requestBody: sent,
        headers: {},
        retries: [],
        error: { code: BUDGET_REFUSAL, message: hold.refused },
      };
    const exchange = await this.send('POST', this.spec.create.path, {
      body: sent,
      idempotent,
      ...extra,
      spendAs: extra.spendAs ?? (compileValidators(this.spec).request(sent).valid ? 'paid' : 'risky'),
    });
    this.rememberUrls(exchange);
    if (hold && 'id' in hold) await this.settle(hold, sent, exchange);
    return exchange;
  }

  /**
   * Holds the documented price of this create (the dearest task for a body the documents forbid); a provider with no
   * published price holds 0, marked unpriced, so its tasks are still counted.
   */
  private async reserve(
    body: unknown,
    spendAs: string | undefined,
  ): Promise<{ id: string; amount: number; currency: string } | { refused: string }> {
    // a forbidden body is priced by its resolved settings where the documents price them, else the dearest task
    const valid = compileValidators(this.spec).request(body).valid;
    const estimate = estimatePrice(this.spec, resolveSettings(this.spec, body));
    const price = valid || Number.isFinite(estimate.amount) ? estimate : maxTaskPrice(this.spec);
    const unpriced = price.amount === undefined || !price.currency;
    const hold = { id: randomUUID(), amount: price.amount ?? 0, currency: price.currency ?? UNPRICED };
    const r = await this.options.ledger!.reserve({
      ...hold,
      provider: this.spec.id,
      purpose: spendAs ?? (valid ? 'paid' : 'risky'),
      ...(unpriced ? { unpriced: true } : {}),
    });
    return r.ok ? hold : { refused: `not sent: ${r.why}` };
  }

  /**
   * A create the gateway answered with a success status is a task, counted whatever sent it (kept; for a forbidden
   * body, cancelled where documented); no answer at all: the hold stays (it may have been made); else released.
   */
  private async settle(
    hold: { id: string; amount: number; currency: string },
    body: unknown,
    exchange: Exchange,
  ): Promise<void> {
    const ledger = this.options.ledger!;
    const provider = this.spec.id;
    const made =
      isSuccess(this.spec, 'create', exchange.status) && !envelopeFailure(this.spec, exchange.status, exchange.body);
    if (!made && exchange.status === undefined) return ledger.append({ kind: 'unanswered', id: hold.id, provider });
    if (!made)
      return ledger.append({ kind: 'release', id: hold.id, provider, amount: hold.amount, currency: hold.currency });
    const taskId = this.taskIdOf(exchange) ?? '(no task id in the answer)';
    const mistaken = !compileValidators(this.spec).request(body).valid;
    ledger.append({
      kind: 'task',
      id: hold.id,
      provider,
      taskId,
      amount: hold.amount,
      currency: hold.currency,
      mistaken,
    });
    if (mistaken && taskOperation(this.spec, 'cancel') && this.taskIdOf(exchange)) {
      const cancel = await this.callTaskOperation('cancel', taskId);
      exchange.cancelled = { status: cancel.status, error: cancel.error?.message };
      ledger.append({
        kind: 'cancel',
        id: hold.id,
        provider,
        taskId,
        status: cancel.status,
        error: cancel.error?.message,
      });
    }
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
      return {
        method: 'GET',
        url: '',
        headers: {},
        retries: [],
        error: { code: 'NOT_DOCUMENTED', message: `no ${name} operation is documented` },
      };
    const followed = this.urls.get(`${name}\u0000${taskId}`);
    const where = op.decl.taskId;
    const path =
      followed ??
      (where.in === 'path'
        ? op.model.path.replace(`{${where.name}}`, encodeURIComponent(taskId))
        : `${op.model.path}?${where.name}=${encodeURIComponent(taskId)}`);
    return this.send(op.model.method, path, { idempotent: op.model.method !== 'POST', ...extra });
  }

  /**
   * Where the spec says the create response names an operation's absolute URL (fal's status_url), remember it for
   * that task, but only on the base URL's origin: a gateway does not get to send our key somewhere else.
   */
  private rememberUrls(exchange: Exchange): void {
    const taskId = this.taskIdOf(exchange);
    if (!taskId) return;
    const origin = new URL(this.options.baseUrl).origin;
    for (const name of ['poll', 'result', 'cancel'] as const) {
      const pointer = this.spec.x.operations[name]?.urlFrom;
      const url = pointer ? getAt(exchange.body, pointer) : undefined;
      if (typeof url !== 'string') continue;
      try {
        if (new URL(url).origin === origin) this.urls.set(`${name}\u0000${taskId}`, url);
        else
          exchange.warnings = [
            ...(exchange.warnings ?? []),
            `${pointer} names ${new URL(url).origin}, not ${origin}: not followed (the documented path is used)`,
          ];
      } catch {
        exchange.warnings = [...(exchange.warnings ?? []), `${pointer} is not a URL: the documented path is used`];
      }
    }
    if (this.urls.size > 10_000) this.urls.delete(this.urls.keys().next().value!);
  }

  /**
   * Result links are signed URLs: fetched without the API key, and only from an address the outbound policy allows
   * (public, or loopback when the base URL is), pinned to the address that was judged.
   */
  async download(url: string): Promise<Exchange> {
    const opts = { idempotent: true, apiKey: null, raw: true, retry: false } as const;
    if (this.options.record) return this.send('GET', url, opts);
    const where = await resultLinkAddress(url, this.options.baseUrl);
    if ('refused' in where) return unsent('GET', url, undefined, { code: 'ADDRESS_REFUSED', message: where.refused });
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
    for (let i = 0; i < options.maxPolls; i++) {
      if (this.options.deadlineAt !== undefined && Date.now() >= this.options.deadlineAt) break;
      if (options.until !== undefined && Date.now() >= options.until) break;
      const wait = Math.max(options.intervalMs, retryAfterMs(polls.at(-1)?.headers['retry-after']));
      if (i > 0 && wait > 0) await this.clock.sleep(wait);
      const poll = await this.getTask(taskId);
      polls.push(poll);
      const status = this.statusOf(poll, 'poll');
      options.onPoll?.(poll, status);
      // a 429 or 5xx on a poll is noise, not an answer about the task: the poll is tried again in place (the task
      // is never created again), within maxPolls and the run deadline
      if (isTransientAnswer(poll)) continue;
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

  private async send(
    method: OperationModel['method'],
    pathOrUrl: string,
    opts: RequestExtras & {
      body?: unknown;
      idempotent: boolean;
      raw?: boolean;
      retry?: boolean;
      spendAs?: string;
      agent?: Agent;
    },
  ): Promise<Exchange> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.options.baseUrl.replace(/\/$/, '') + pathOrUrl;
    const key = opts.apiKey === undefined ? this.options.apiKey : opts.apiKey;
    const variant: AuthVariant = opts.auth ?? (key === null ? 'missing' : 'valid');
    if (this.options.record) {
      // a dry run lists the request and signs nothing (it holds no secret)
      this.options.record({
        method,
        url,
        body: opts.body,
        authenticated: Boolean(key) && variant === 'valid',
        spendAs: opts.spendAs,
      });
      return unsent(method, url, opts.body, { code: 'DRY_RUN', message: 'dry run: not sent' });
    }
    // the header as the spec's auth scheme says (prefix, static key or a token minted now)
    let auth: Record<string, string> = {};
    try {
      auth = key ? await authHeader(this.spec, { key, secret: this.options.secretKey }, variant) : {};
    } catch (err) {
      // e.g. a token scheme with no secret key to sign with: nothing is sent
      return unsent(method, url, opts.body, {
        code: 'AUTH',
        message: `cannot build the ${this.spec.x.auth.header} header: ${(err as Error).message}`,
      });
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.options.headers,
      ...opts.headers,
      ...auth,
    };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const exchange: Exchange = { method, url, requestBody: opts.body, headers: {}, retries: [], startedAt: Date.now() };
    const started = performance.now();
    const dispatcher = this.dispatcherFor(opts, exchange);
    const left = this.options.deadlineAt === undefined ? Infinity : this.options.deadlineAt - Date.now();
    if (left <= 0) {
      exchange.error = { code: 'DEADLINE', message: 'the run deadline (--timeout) passed before this request' };
      return exchange;
    }
    try {
      const res = await request(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        dispatcher,
        // bounds the whole exchange, a body that stalls after its headers included
        signal: AbortSignal.timeout(Math.max(1, Math.min(this.timeoutMs, left))),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const limit = opts.raw
        ? (this.options.maxVideoBytes ?? maxVideoBytes(this.spec))
        : (this.options.maxJsonBytes ?? MAX_JSON_BYTES);
      await readAnswer(res, exchange, {
        limit,
        raw: Boolean(opts.raw),
        requestIdPointer: this.spec.x.operations.create.requestIdPointer,
      });
    } catch (err) {
      exchange.error = this.failure(err);
    }
    exchange.elapsedMs = Math.round(performance.now() - started);
    return exchange;
  }

  /** the agent a request goes through: the retrying one (retries recorded on the exchange) unless retry is off */
  private dispatcherFor(opts: { idempotent: boolean; retry?: boolean; agent?: Agent }, exchange: Exchange) {
    return (opts.retry ?? this.options.retry ?? true)
      ? retryingDispatcher(opts.agent ?? this.agent, this.spec, exchange, {
          idempotent: opts.idempotent,
          clock: this.clock,
          random: this.options.random,
          retryUnsafePost: this.options.retryUnsafePost,
        })
      : (opts.agent ?? this.agent);
  }

  /** what a request that threw ran into: the per-request timeout, the run deadline, or the network's own error */
  private failure(err: unknown): Exchange['error'] {
    const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_ABORTED';
    return timedOut
      ? {
          code: 'TIMEOUT',
          message:
            Date.now() >= (this.options.deadlineAt ?? Infinity)
              ? 'the run deadline (--timeout) passed during this request'
              : `no complete answer within ${this.timeoutMs} ms`,
        }
      : { code: e.code ?? e.cause?.code ?? 'ERROR', message: e.message ?? String(err) };
  }
}

/** A Retry-After of delay seconds, capped at the reference client's limit (0 when absent or a date). */
const retryAfterMs = (header: string | undefined): number =>
  header && /^\d+$/.test(header.trim()) ? Math.min(Number(header.trim()) * 1000, DEFAULT_RETRY_AFTER_CAP_MS) : 0;

/** A 429 or a 5xx other than 501, or a connection that dropped: capacity or network, not the contract. */
export function isTransientAnswer(e: Pick<Exchange, 'status' | 'error'>): boolean {
  if (e.status !== undefined) return e.status === 429 || (e.status >= 500 && e.status !== 501);
  return TRANSIENT_ERROR_CODES.includes(e.error?.code ?? '');
}

/** A request that was never sent, and why (a dry run, a header that could not be built). */
const unsent = (method: string, url: string, requestBody: unknown, error: Exchange['error']): Exchange => ({
  method,
  url,
  requestBody,
  headers: {},
  retries: [],
  error,
});
