import { performance } from 'node:perf_hooks';
import { type Agent, request } from 'undici';
import type { Clock } from '../core/clock.ts';
import type { OperationModel, ProviderSpec } from '../spec/model.ts';
import { MAX_JSON_BYTES, maxVideoBytes } from '../spec/read-limits.ts';
import { authHeader, type AuthVariant } from './auth-header.ts';
import type { GatewayClientOptions } from './client-options.ts';
import { unsentExchange, type Exchange, type RequestExtras } from './exchange.ts';
import { readAnswer } from './read-answer.ts';
import { retryingDispatcher } from './retrying-dispatcher.ts';

/** What sending needs from the client: the provider, its options, the connection pool, the clock and the timeout. */
export interface Sender {
  spec: ProviderSpec;
  options: GatewayClientOptions;
  agent: Agent;
  clock: Clock;
  timeoutMs: number;
}

/** How one request is sent: its body, whether repeating it is safe, and the client's defaults it overrides. */
export type SendOptions = RequestExtras & {
  body?: unknown;
  idempotent: boolean;
  /** read the answer as bytes (a result video) */
  raw?: boolean;
  retry?: boolean;
  spendAs?: string;
  /** which create of tonight's plan this is (see spendKeyOf) */
  spendKey?: string;
  agent?: Agent;
};

/**
 * One request to the gateway (or, in a dry run, to `record`): the spec's auth header, a timeout that bounds the
 * whole exchange, the spec's retry advice unless retry is off, and the answer read under its cap. Never throws:
 * what went wrong is the exchange's `error`.
 */
export async function sendRequest(
  s: Sender,
  method: OperationModel['method'],
  pathOrUrl: string,
  opts: SendOptions,
): Promise<Exchange> {
  const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : s.options.baseUrl.replace(/\/$/, '') + pathOrUrl;
  const key = opts.apiKey === undefined ? s.options.apiKey : opts.apiKey;
  const variant: AuthVariant = opts.auth ?? (key === null ? 'missing' : 'valid');
  if (s.options.record) {
    // a dry run lists the request and signs nothing (it holds no secret)
    s.options.record({
      method,
      url,
      body: opts.body,
      authenticated: Boolean(key) && variant === 'valid',
      spendAs: opts.spendAs,
      ...(opts.spendKey ? { spendKey: opts.spendKey } : {}),
    });
    return unsentExchange(method, url, opts.body, { code: 'DRY_RUN', message: 'dry run: not sent' });
  }
  const headers = await requestHeaders(s, key, variant, opts);
  if ('error' in headers) return unsentExchange(method, url, opts.body, headers.error);
  const exchange: Exchange = { method, url, requestBody: opts.body, headers: {}, retries: [], startedAt: Date.now() };
  const started = performance.now();
  const dispatcher = dispatcherFor(s, opts, exchange);
  const left = s.options.deadlineAt === undefined ? Infinity : s.options.deadlineAt - Date.now();
  if (left <= 0) {
    exchange.error = { code: 'DEADLINE', message: 'the run deadline (--timeout) passed before this request' };
    return exchange;
  }
  try {
    const res = await request(url, {
      method,
      headers: headers.headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      dispatcher,
      // bounds the whole exchange, a body that stalls after its headers included
      signal: AbortSignal.timeout(Math.max(1, Math.min(s.timeoutMs, left))),
      headersTimeout: s.timeoutMs,
      bodyTimeout: s.timeoutMs,
    });
    const limit = opts.raw
      ? (s.options.maxVideoBytes ?? maxVideoBytes(s.spec))
      : (s.options.maxJsonBytes ?? MAX_JSON_BYTES);
    await readAnswer(res, exchange, {
      limit,
      raw: Boolean(opts.raw),
      requestIdPointer: s.spec.x.operations.create.requestIdPointer,
    });
  } catch (err) {
    exchange.error = failure(s, err);
  }
  exchange.elapsedMs = Math.round(performance.now() - started);
  return exchange;
}

/** The headers of a request: the client's and the request's own, then the spec's auth header (never overridden). */
async function requestHeaders(
  s: Sender,
  key: string | null | undefined,
  variant: AuthVariant,
  opts: SendOptions,
): Promise<{ headers: Record<string, string> } | { error: Exchange['error'] }> {
  // the header as the spec's auth scheme says (prefix, static key or a token minted now)
  let auth: Record<string, string> = {};
  try {
    auth = key ? await authHeader(s.spec, { key, secret: s.options.secretKey }, variant) : {};
  } catch (err) {
    // e.g. a token scheme with no secret key to sign with: nothing is sent
    return {
      error: { code: 'AUTH', message: `cannot build the ${s.spec.x.auth.header} header: ${(err as Error).message}` },
    };
  }
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...s.options.headers,
    ...opts.headers,
    ...auth,
  };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return { headers };
}

/** the agent a request goes through: the retrying one (retries recorded on the exchange) unless retry is off */
function dispatcherFor(s: Sender, opts: SendOptions, exchange: Exchange) {
  return (opts.retry ?? s.options.retry ?? true)
    ? retryingDispatcher(opts.agent ?? s.agent, s.spec, exchange, {
        idempotent: opts.idempotent,
        clock: s.clock,
        random: s.options.random,
        retryUnsafePost: s.options.retryUnsafePost,
      })
    : (opts.agent ?? s.agent);
}

/** what a request that threw ran into: the per-request timeout, the run deadline, or the network's own error */
function failure(s: Sender, err: unknown): Exchange['error'] {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_ABORTED';
  return timedOut
    ? {
        code: 'TIMEOUT',
        message:
          Date.now() >= (s.options.deadlineAt ?? Infinity)
            ? 'the run deadline (--timeout) passed during this request'
            : `no complete answer within ${s.timeoutMs} ms`,
      }
    : { code: e.code ?? e.cause?.code ?? 'ERROR', message: e.message ?? String(err) };
}
