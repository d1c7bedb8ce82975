import { Agent } from 'undici';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { packageVersion } from '../core/package-paths.ts';
import { OpenRequests } from '../core/graceful-close.ts';
import { fingerprintSaltId } from '../har/client-id.ts';
import { HarRecorder } from '../har/har-recorder.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { taskOperation } from '../spec/operations.ts';
import { pathMatcher } from '../traffic/traffic-model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import type { OpenExchange, ProxyOperation } from './open-exchanges.ts';
import type { ProxyOptions } from './proxy-options.ts';
import { ResponseFindings } from './response-findings.ts';
import { checkUpstream } from './upstream-allow.ts';

/**
 * What a proxy counts: requests forwarded, invalid ones answered here, creates the upstream answered with 2xx, and
 * creates forwarded whose outcome the proxy cannot know — by what happened to them ("answered 500", "not answered by
 * the upstream", "cut at the stop"): each may have made a task.
 */
export type ProxyCounts = {
  forwarded: number;
  rejectedLocally: number;
  tasksCreated: number;
  mayHaveCreated: Record<string, number>;
};

/** What every exchange of a proxy reads: its checked upstream, validators, findings, record and counts. */
export function proxyContext(options: ProxyOptions): ProxyContext {
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
    counts: { forwarded: 0, rejectedLocally: 0, tasksCreated: 0, mayHaveCreated: {} },
    classify: classifier(spec),
    recordedUrls: new Map(),
    open: new OpenRequests<OpenExchange>(),
    arrived: 0,
    unrecorded: [],
    now: options.now ?? (() => performance.now()),
    agent: new Agent(),
  };
}

export interface ProxyContext {
  options: ProxyOptions;
  upstream: URL;
  /** the proxy's own address once it listens: what the record names a request the proxy answered unforwarded by */
  self?: URL;
  validators: ReturnType<typeof compileValidators>;
  findings: ResponseFindings;
  recorder?: HarRecorder;
  counts: ProxyCounts;
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

/**
 * `target` as an absolute URL, as the record writes it: on the upstream when the request was forwarded, else on the
 * proxy itself (a request it answered without forwarding never reached the gateway, and its record must not say so).
 */
export function recordedUrl(ctx: ProxyContext, target: string, forwarded = true): string {
  if (!forwarded) return new URL(target.replace(/^\/+/, '/'), ctx.self ?? ctx.upstream).href;
  let url = ctx.recordedUrls.get(target);
  if (url === undefined) {
    url = new URL(target, ctx.upstream).href;
    if (ctx.recordedUrls.size >= RECORDED_URLS) ctx.recordedUrls.clear();
    ctx.recordedUrls.set(target, url);
  }
  return url;
}

/** Errors that say the request never left the proxy (no connection was made): the gateway never saw it. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A forwarded create whose outcome the proxy cannot know (answered 5xx, not answered, cut at the stop): it may have
 * made a task, counted by what happened. A create that never reached the upstream (`err` a failed connect) is not.
 */
export function mayHaveCreated(ctx: ProxyContext, x: OpenExchange, what: string, err?: unknown): void {
  if (x.operation !== 'create' || !x.forwarded) return;
  if (NOT_SENT.has(String((err as { code?: unknown } | undefined)?.code))) return;
  ctx.counts.mayHaveCreated[what] = (ctx.counts.mayHaveCreated[what] ?? 0) + 1;
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

export function openExchange(ctx: ProxyContext, req: IncomingMessage, res: ServerResponse): OpenExchange {
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
