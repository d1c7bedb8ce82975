import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream';
import { Agent, request } from 'undici';
import { HarnessError } from '../core/errors.ts';
import { packageVersion } from '../core/package-paths.ts';
import { fingerprintSaltId } from '../har/client-id.ts';
import { HarRecorder } from '../har/har-recorder.ts';
import { errorResponse } from '../mock/error-response.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { invalidRequestStatus, taskOperation } from '../spec/operations.ts';
import { pathMatcher } from '../traffic/traffic-model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { drainAndClose, OpenRequests, type StopSummary } from '../core/graceful-close.ts';
import type { OpenExchange, ProxyOperation } from './open-exchanges.ts';
import { type Answer, proxyError, stoppingAnswer } from './proxy-answers.ts';
import { NO_BODY, readRequestBody, readUpstreamBody } from './read-bodies.ts';
import { type EntryIndex, ResponseFindings } from './response-findings.ts';
import { checkUpstream } from './upstream-allow.ts';

export interface ProxyOptions {
  spec: ProviderSpec;
  upstream: string;
  /** hosts allowed besides the spec's documented server */
  upstreamAllow?: string[];
  port?: number;
  host?: string;
  /** write the traffic as HAR (keys redacted) */
  record?: string;
  /** forward request bodies the documents reject (default: answer them locally with the documented error) */
  forwardInvalid?: boolean;
  /** request bodies past this get 413 (default 1 MiB); answers past `answerLimitBytes` get 502 (default 16 MiB) */
  bodyLimitBytes?: number;
  answerLimitBytes?: number;
  /** the longest wait for the upstream's answer, headers and body (default 60 s; a body still arriving then: 502) */
  timeoutMs?: number;
  /** the longest a client may take to send its request, headers and body (default 60 s; then 408) */
  clientTimeoutMs?: number;
  /** on close, how long requests in flight may take to finish before the proxy answers them itself (default 10 s) */
  drainMs?: number;
  /** stop after answering this many requests */
  maxRequests?: number;
  /** stop after this many upstream failures in a row (unreachable, timed out, reset; default 5) */
  maxUpstreamFailures?: number;
  /** the clock the deadlines above read, in milliseconds (default performance.now; a test's is virtual) */
  now?: () => number;
}

export const PROXY_DEFAULTS = { timeoutMs: 60_000, clientTimeoutMs: 60_000, drainMs: 10_000 } as const;

export type { StopSummary };

export interface RunningProxy {
  url: string;
  server: Server;
  /** requests sent on to the upstream, invalid ones answered here instead, creates the upstream answered with 2xx */
  counts: { forwarded: number; rejectedLocally: number; tasksCreated: number };
  findings: ResponseFindings;
  /** the HAR entry of an exchange by its arrival number (undefined without --record) */
  entryIndex: EntryIndex;
  /** resolves with why the proxy stopped itself (a limit reached); the caller closes it and writes the results */
  stopped: Promise<string>;
  /**
   * Stops accepting, lets the requests in flight finish for up to `drainMs` (answering any that arrive meanwhile
   * with a 503), then answers those still in flight with a 503, records each, and closes the record. `cutNow`
   * (a second Ctrl-C) ends the drain at once, with its reason. Called again: the same stop.
   */
  close(cutNow?: Promise<string>): Promise<StopSummary>;
  /** requests not yet answered */
  inFlight(): number;
}

/** Headers that belong to one connection (RFC 9110 §7.6.1) or that this proxy sets itself. */
const HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'content-length',
  'accept-encoding',
]);

const forwardable = (headers: Record<string, string | string[] | undefined>) =>
  Object.fromEntries(
    Object.entries(headers).filter(([k, v]) => v !== undefined && !HOP.has(k.toLowerCase())),
  ) as Record<string, string | string[]>;

/**
 * A validating proxy in front of a real gateway: each create body is validated before it is forwarded (an invalid
 * one is answered here with the documented error and never reaches — or is billed by — the gateway, unless
 * `forwardInvalid`), each create and poll answer is judged against the documented shapes, redirects are passed back,
 * never followed, and the traffic is recorded like a mock session — every request, the ones the proxy answers itself
 * (invalid, too large, too slow, upstream failed, stopping) too.
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const { spec } = options;
  const ctx = proxyContext(options);
  const { findings, recorder, counts } = ctx;
  const limits = stopLimits(options);
  // a client that sends its request slowly: node:http answers 408 and closes the connection past `requestTimeout`
  // (checked every `connectionsCheckingInterval`: a quarter of it, so the deadline holds to within a quarter)
  const requestTimeout = options.clientTimeoutMs ?? PROXY_DEFAULTS.clientTimeoutMs;
  const serverOptions = {
    requestTimeout,
    headersTimeout: Math.min(60_000, requestTimeout),
    connectionsCheckingInterval: Math.max(1, Math.floor(requestTimeout / 4)),
  };
  const server = createServer(serverOptions, (req, res) => {
    const x = openExchange(ctx, req, res);
    // a limit counts a request once its answer has left: a stop it triggers must not cut that answer off
    finished(res, () => {
      ctx.open.leave(x);
      // the client went away before any answer: no HAR entry (the entries after it move up one)
      if (!x.answered && ctx.unrecorded.length < 10_000) ctx.unrecorded.push(x.seq);
      limits.answered(x.upstreamFailure === undefined, x.upstreamFailure);
    });
    if (ctx.stopping) answer(ctx, x, stoppingAnswer(spec, x, ctx.stopping, 'refused-at-stop'));
    else handle(ctx, x).catch((err: unknown) => upstreamFailed(ctx, x, err));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // a proxy that never listened leaves no recording behind
      void ctx.agent.destroy();
      recorder?.discard();
      reject(
        new HarnessError('CONFIG', `cannot listen on ${host}:${options.port ?? 0}: ${err.code}`, {
          fix: 'choose a free --port',
        }),
      );
    });
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<StopSummary> | undefined;
  return {
    url: `http://${host}:${port}`,
    server,
    counts,
    findings,
    entryIndex: (seq) => (recorder ? seq - ctx.unrecorded.filter((u) => u < seq).length : undefined),
    stopped: limits.stopped,
    inFlight: () => ctx.open.unanswered().length,
    close: (cutNow) => {
      closing ??= drainAndClose(server, ctx.open, {
        drainMs: options.drainMs ?? PROXY_DEFAULTS.drainMs,
        cutNow,
        begin: () => {
          ctx.stopping = 'the proxy is stopping';
        },
        cut: (x, why) => answer(ctx, x, stoppingAnswer(spec, x, why, 'cut-at-stop')),
        end: () => {
          // the upstream calls of requests cut are abandoned (their late answers go nowhere)
          void ctx.agent.destroy();
          recorder?.close();
        },
      });
      return closing;
    },
  };
}

/** What every exchange of a proxy reads: its checked upstream, validators, findings, record and counts. */
function proxyContext(options: ProxyOptions): ProxyContext {
  const { spec } = options;
  const validators = compileValidators(spec);
  const upstream = checkUpstream(spec, options.upstream, options.upstreamAllow ?? []);
  const recorder = options.record
    ? new HarRecorder({
        file: options.record,
        auth: spec.x.auth,
        meta: { provider: spec.id, target: 'live', fingerprints: fingerprintSaltId() },
        creator: { name: 'kling-conformance proxy', version: packageVersion() },
      })
    : undefined;
  return {
    options,
    upstream,
    validators,
    findings: new ResponseFindings(spec, validators, recorder && ((at) => recorder.startedDateTime(at))),
    recorder,
    counts: { forwarded: 0, rejectedLocally: 0, tasksCreated: 0 },
    classify: classifier(spec),
    recordedUrls: new Map(),
    open: new OpenRequests<OpenExchange>(),
    arrived: 0,
    unrecorded: [],
    now: options.now ?? (() => performance.now()),
    agent: new Agent(),
  };
}

/** The proxy's own stop conditions: a request count reached, or the upstream failing again and again. */
function stopLimits(options: ProxyOptions) {
  let stop: (why: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stop = resolve;
  });
  const maxFailures = options.maxUpstreamFailures ?? 5;
  let answered = 0;
  let failuresInARow = 0;
  return {
    stopped,
    answered(ok: boolean, failure?: string): void {
      answered += 1;
      failuresInARow = ok ? 0 : failuresInARow + 1;
      if (failuresInARow >= maxFailures)
        stop(`the upstream failed ${failuresInARow} times in a row (last: ${failure})`);
      else if (options.maxRequests !== undefined && answered >= options.maxRequests)
        stop(`${answered} requests answered (--max-requests)`);
    },
  };
}

interface ProxyContext {
  options: ProxyOptions;
  upstream: URL;
  validators: ReturnType<typeof compileValidators>;
  findings: ResponseFindings;
  recorder?: HarRecorder;
  counts: RunningProxy['counts'];
  classify: (method: string, path: string) => ProxyOperation;
  /** request targets as the record's absolute URLs (a client polls the same target again and again) */
  recordedUrls: Map<string, string>;
  /** the requests not yet answered, or answered and still being written */
  open: OpenRequests<OpenExchange>;
  /** requests arrived so far (the next one's arrival number) */
  arrived: number;
  /** arrival numbers of requests that got no answer, so no HAR entry (the record's entries are in arrival order) */
  unrecorded: number[];
  /** the clock of the upstream's deadline */
  now: () => number;
  /** the upstream's connections: destroyed at the stop, which abandons the calls of requests it cut */
  agent: Agent;
  /** set once the proxy is stopping: why (every request arriving then is answered 503, every answer closes) */
  stopping?: string;
}

/** targets whose absolute URL the proxy remembers for its record (parsing a URL cost more than the rest of a line) */
const RECORDED_URLS = 256;

/** `target` as an absolute URL on the upstream, as the record writes it. */
function recordedUrl(ctx: ProxyContext, target: string): string {
  let url = ctx.recordedUrls.get(target);
  if (url === undefined) {
    url = new URL(target, ctx.upstream).href;
    if (ctx.recordedUrls.size >= RECORDED_URLS) ctx.recordedUrls.clear();
    ctx.recordedUrls.set(target, url);
  }
  return url;
}

/** create, poll, or something else (result, cancel, anything: forwarded, not judged). */
function classifier(spec: ProviderSpec): ProxyContext['classify'] {
  const create = pathMatcher(spec.create.path);
  const poll = taskOperation(spec, 'poll');
  const pollPath = poll ? pathMatcher(poll.model.path) : () => undefined;
  return (method, path) =>
    method === spec.create.method.toUpperCase() && create(path)
      ? 'create'
      : method === poll?.model.method.toUpperCase() && pollPath(path)
        ? 'poll'
        : 'other';
}

function openExchange(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): OpenExchange {
  const method = (req.method ?? 'GET').toUpperCase();
  const target = req.url ?? '/';
  const query = target.indexOf('?');
  const x: OpenExchange = {
    req,
    res,
    method,
    target,
    seq: ctx.arrived++,
    startedAt: performance.now(),
    operation: ctx.classify(method, query < 0 ? target : target.slice(0, query)),
    chunks: [],
    forwarded: false,
    answered: false,
  };
  ctx.open.add(x);
  return x;
}

async function handle(ctx: ProxyContext, x: OpenExchange): Promise<void> {
  const limit = ctx.options.bodyLimitBytes ?? 1024 * 1024;
  let body: Uint8Array | undefined;
  try {
    body = await readRequestBody(x, limit);
  } catch {
    // the client went away (or node:http gave up on it: too slow) before its body ended: nobody to answer
    return;
  }
  if (x.answered) return;
  if (body === undefined) {
    answer(
      ctx,
      x,
      proxyError(
        ctx.options.spec,
        x,
        413,
        'request_too_large',
        `the request body is larger than ${limit} bytes`,
        'too-large',
      ),
    );
    return;
  }
  const local = x.operation === 'create' && !ctx.options.forwardInvalid ? rejectLocally(ctx, body) : undefined;
  answer(ctx, x, local ?? (await forward(ctx, x, body)));
}

/** The upstream failed the request (unreachable, timed out, reset): a 502, counted and reported as an error. */
function upstreamFailed(ctx: ProxyContext, x: OpenExchange, err: unknown): void {
  // aborted by a stop that answered it already: not the upstream's failure
  if (x.answered) return;
  const message = String((err as Error)?.message ?? err);
  x.upstreamFailure = message;
  ctx.findings.upstreamFailure(message);
  answer(
    ctx,
    x,
    proxyError(ctx.options.spec, x, 502, 'proxy_error', `the upstream failed: ${message}`, 'upstream-failed'),
  );
}

/** Writes the answer (once: the upstream's, or the proxy's own) and records the exchange. */
function answer(ctx: ProxyContext, x: OpenExchange, a: Answer): void {
  if (x.answered) return;
  x.answered = true;
  const head: Record<string, string> = { ...a.headers, 'content-length': String(a.body.byteLength) };
  // stopping: the connection closes after its last answer (one a request pipelined behind this one still needs)
  if (a.status === 413 || (ctx.stopping && !ctx.open.after(x).some((o) => o.req.socket === x.req.socket)))
    head.connection = 'close';
  try {
    if (!x.res.headersSent) x.res.writeHead(a.status, head).end(a.body);
  } catch {
    // an answer the socket cannot take (its connection is gone): recorded all the same
    x.res.destroy();
  }
  ctx.recorder?.record({
    method: x.method,
    url: recordedUrl(ctx, x.target),
    headers: x.req.headers,
    body: x.chunks.length === 0 ? NO_BODY : x.chunks.length === 1 ? x.chunks[0]! : Buffer.concat(x.chunks),
    startedAt: x.startedAt,
    endedAt: performance.now(),
    response: { status: a.status, headers: a.headers, body: a.body, comment: a.comment },
    note: a.note,
  });
}

/** An invalid create body: the documented error, answered here (the gateway never sees it, so never bills it). */
function rejectLocally(ctx: ProxyContext, body: Uint8Array): Answer | undefined {
  const spec = ctx.options.spec;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    json = undefined;
  }
  const problems =
    json === undefined
      ? ['the body is not JSON']
      : ctx.validators.request(json).errors.map((d) => `${d.pointer || 'body'} ${d.message}`);
  if (problems.length === 0) return undefined;
  ctx.counts.rejectedLocally += 1;
  const local = errorResponse(spec, invalidRequestStatus(spec), problems.join('; '), { claims: 'mock' });
  if (local.kind !== 'answer') return undefined;
  return {
    status: local.status,
    headers: { ...local.headers, 'x-kc-proxy': 'rejected locally: not forwarded' },
    body: typeof local.body === 'string' ? Buffer.from(local.body) : local.body,
    note: { operation: 'create', step: 'rejected-locally' },
  };
}

async function forward(ctx: ProxyContext, x: OpenExchange, body: Uint8Array): Promise<Answer> {
  const url = new URL(x.target.replace(/^\/+/, '/'), ctx.upstream);
  const timeout = ctx.options.timeoutMs ?? PROXY_DEFAULTS.timeoutMs;
  const deadline = ctx.now() + timeout;
  ctx.counts.forwarded += 1;
  x.forwarded = true;
  // undici's request() follows no redirect: a 3xx goes back to the client as it came
  const res = await request(url, {
    method: x.method as 'GET',
    headers: { ...forwardable(x.req.headers), 'accept-encoding': 'identity' },
    body: body.byteLength ? body : undefined,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    dispatcher: ctx.agent,
  });
  const limit = ctx.options.answerLimitBytes ?? 16 * 1024 * 1024;
  const bytes = await readUpstreamBody(res.body, limit, deadline, ctx.now);
  if (bytes === 'too-late') throw new Error(`its answer was still arriving ${timeout} ms after the request was sent`);
  if (bytes === 'too-large')
    return proxyError(
      ctx.options.spec,
      x,
      502,
      'proxy_error',
      `the upstream's answer is larger than ${limit} bytes`,
      'upstream-too-large',
    );
  const out = Object.fromEntries(
    Object.entries(res.headers).flatMap(([k, v]) =>
      v === undefined || HOP.has(k) ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]],
    ),
  ) as Record<string, string>;
  const operation = x.operation;
  // every create the gateway answers with a success status is a task it bills
  if (operation === 'create' && res.statusCode >= 200 && res.statusCode < 300) ctx.counts.tasksCreated += 1;
  if (operation !== 'other')
    ctx.findings.observe(operation, res.statusCode, {
      seq: x.seq,
      startedAt: x.startedAt,
      requestId: out['x-request-id'],
      bytes,
    });
  return { status: res.statusCode, headers: out, body: bytes, note: { operation } };
}
