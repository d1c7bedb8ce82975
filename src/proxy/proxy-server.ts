import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream';
import { request } from 'undici';
import { readCapped } from '../client/read-answer.ts';
import { HarnessError } from '../core/errors.ts';
import { packageVersion } from '../core/package-paths.ts';
import { HarRecorder } from '../har/har-recorder.ts';
import type { ExchangeNote } from '../har/har-types.ts';
import { errorResponse } from '../mock/error-response.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { invalidRequestStatus, taskOperation } from '../spec/operations.ts';
import { pathMatcher } from '../traffic/traffic-model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { ResponseFindings } from './response-findings.ts';
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
  /** the longest wait for the upstream's headers and body (default 60 s) */
  timeoutMs?: number;
  /** stop after answering this many requests */
  maxRequests?: number;
  /** stop after this many upstream failures in a row (unreachable, timed out, reset; default 5) */
  maxUpstreamFailures?: number;
}

export interface RunningProxy {
  url: string;
  server: Server;
  /** requests sent on to the upstream, invalid ones answered here instead, creates the upstream answered with 2xx */
  counts: { forwarded: number; rejectedLocally: number; tasksCreated: number };
  findings: ResponseFindings;
  /** resolves with why the proxy stopped itself (a limit reached); the caller closes it and writes the results */
  stopped: Promise<string>;
  close(): Promise<void>;
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
 * never followed, and the traffic is recorded like a mock session.
 */
export async function startProxy(options: ProxyOptions): Promise<RunningProxy> {
  const { spec } = options;
  const upstream = checkUpstream(spec, options.upstream, options.upstreamAllow ?? []);
  const validators = compileValidators(spec);
  const findings = new ResponseFindings(spec, validators);
  const recorder = options.record
    ? new HarRecorder({
        file: options.record,
        auth: spec.x.auth,
        meta: { provider: spec.id, target: 'live' },
        creator: { name: 'kling-conformance proxy', version: packageVersion() },
      })
    : undefined;
  const counts = { forwarded: 0, rejectedLocally: 0, tasksCreated: 0 };
  const classify = classifier(spec);
  const ctx: ProxyContext = {
    options,
    upstream,
    validators,
    findings,
    recorder,
    counts,
    classify,
    recordedUrls: new Map(),
  };
  const limits = stopLimits(options);
  const server = createServer((req, res) => {
    // a limit counts a request once its answer has left: a stop it triggers must not cut that answer off
    const answered = (ok: boolean, failure?: string) => finished(res, () => limits.answered(ok, failure));
    handle(ctx, req, res)
      .then(() => answered(true))
      .catch((err: unknown) => {
        const message = String((err as Error)?.message ?? err);
        findings.upstreamFailure(message);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'proxy_error', message } }));
        answered(false, message);
      });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new HarnessError('CONFIG', `cannot listen on ${host}:${options.port ?? 0}: ${err.code}`, {
          fix: 'choose a free --port',
        }),
      ),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    server,
    counts,
    findings,
    stopped: limits.stopped,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          recorder?.close();
          resolve();
        });
        server.closeAllConnections();
      }),
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
  classify: (method: string, path: string) => 'create' | 'poll' | 'other';
  /** request targets as the record's absolute URLs (a client polls the same target again and again) */
  recordedUrls: Map<string, string>;
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

type Answer = { status: number; headers: Record<string, string>; body: Uint8Array; note: ExchangeNote };

async function handle(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const startedAt = performance.now();
  const method = (req.method ?? 'GET').toUpperCase();
  const target = req.url ?? '/';
  const body = await readCapped(req, ctx.options.bodyLimitBytes ?? 1024 * 1024);
  if (body === undefined) {
    res
      .writeHead(413, { 'content-type': 'application/json', connection: 'close' })
      .end('{"error":"request body too large"}');
    return;
  }
  const operation = ctx.classify(method, target.split('?')[0]!);
  const answer =
    (operation === 'create' && !ctx.options.forwardInvalid ? rejectLocally(ctx, body) : undefined) ??
    (await forward(ctx, method, target, req.headers, body, operation));
  res
    .writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.byteLength) })
    .end(answer.body);
  ctx.recorder?.record({
    method,
    url: recordedUrl(ctx, target),
    headers: req.headers,
    body,
    startedAt,
    endedAt: performance.now(),
    response: { status: answer.status, headers: answer.headers, body: answer.body },
    note: answer.note,
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

async function forward(
  ctx: ProxyContext,
  method: string,
  target: string,
  headers: IncomingMessage['headers'],
  body: Uint8Array,
  operation: 'create' | 'poll' | 'other',
): Promise<Answer> {
  const url = new URL(target.replace(/^\/+/, '/'), ctx.upstream);
  const timeout = ctx.options.timeoutMs ?? 60_000;
  ctx.counts.forwarded += 1;
  // undici's request() follows no redirect: a 3xx goes back to the client as it came
  const res = await request(url, {
    method: method as 'GET',
    headers: { ...forwardable(headers), 'accept-encoding': 'identity' },
    body: body.byteLength ? body : undefined,
    headersTimeout: timeout,
    bodyTimeout: timeout,
  });
  const bytes = await readCapped(res.body, ctx.options.answerLimitBytes ?? 16 * 1024 * 1024);
  if (bytes === undefined)
    return {
      status: 502,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"error":"upstream answer too large"}'),
      note: { operation },
    };
  const out = Object.fromEntries(
    Object.entries(res.headers).flatMap(([k, v]) =>
      v === undefined || HOP.has(k) ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]],
    ),
  ) as Record<string, string>;
  // every create the gateway answers with a success status is a task it bills
  if (operation === 'create' && res.statusCode >= 200 && res.statusCode < 300) ctx.counts.tasksCreated += 1;
  if (operation !== 'other') ctx.findings.observe(operation, res.statusCode, parse(bytes), out['x-request-id']);
  return { status: res.statusCode, headers: out, body: bytes, note: { operation } };
}

const parse = (bytes: Uint8Array): unknown => {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
};
