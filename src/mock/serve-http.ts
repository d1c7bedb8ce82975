import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate } from 'node:timers';
import { getResponse, type HttpHandler } from 'msw';
import { HarnessError } from '../core/errors.ts';
import { drainAndClose, OpenRequests } from '../core/graceful-close.ts';
import { readBody } from '../core/read-request-body.ts';
import { RouteTable, type MockRequest, type MockResponse, type MockRoute } from './mock-route.ts';
import type { WireExchange } from '../har/har-entry.ts';

export interface ServeOptions {
  /** port to listen on; 0 (default) picks a free one */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** larger bodies get 413 before any handler runs (default 1 MiB) */
  bodyLimitBytes?: number;
  /** the origin handlers see (and result links use); default the bound address. The Host header is never used. */
  publicBaseUrl?: string;
  /** told every exchange the route table answered, once its answer is queued for writing: what recording reads */
  onExchange?: (exchange: WireExchange, request: MockRequest | undefined) => void;
}

const NO_BODY = Buffer.alloc(0);
/** Methods a gateway API may be called with; anything else (TRACE, CONNECT, made-up verbs) is a 405. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const json = (
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { code, message } }));
};

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  /**
   * Stops accepting and lets the requests in flight finish for up to `drainMs` (default 10 s) or until `cutNow` settles
   * (a second Ctrl-C); those still unanswered then (a body still arriving) get a 503 `mock_stopping`, and the
   * recording hook is told of each (step `cut-at-stop`).
   */
  close(options?: { drainMs?: number; cutNow?: Promise<string> }): Promise<void>;
}

/** A request the adapter is answering: what a stop that must answer it itself records of it. */
interface InFlight {
  req: IncomingMessage;
  res: ServerResponse;
  /** the body as far as it has come */
  chunks: Buffer[];
  startedAt: number;
  /** its answer is queued (by its handler, or by a stop): nothing more is written or recorded for it */
  answered: boolean;
}

const MOCK_DRAIN_MS = 10_000;

/**
 * Serves msw handlers over a real socket, so any client (undici, curl, another language) reaches them.
 * msw's own interception only patches this process's fetch/http, not undici's request() or other processes.
 */
export function serveHandlers(handlers: HttpHandler[], options: ServeOptions = {}): Promise<RunningServer> {
  return serve((raw) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(raw.headers))
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
    const hasBody = raw.method !== 'GET' && raw.method !== 'HEAD' && raw.body.length > 0;
    return getResponse(
      handlers,
      new Request(raw.url, { method: raw.method, headers, body: hasBody ? new Uint8Array(raw.body) : undefined }),
    );
  }, options);
}

/**
 * Serves a mock's routes over a real socket through a route table: the node:http adapter of the mock core, without
 * msw's request cloning, cookie parsing and handler iteration (the same routes as `createProviderMock().handlers`).
 */
export function serveRoutes(routes: readonly MockRoute[], options: ServeOptions = {}): Promise<RunningServer> {
  const table = new RouteTable(routes);
  return serve(async (raw) => {
    const hit = table.match(raw.method, raw.pathname);
    if (!hit) return undefined;
    raw.request = new NodeRequest(raw);
    return hit.route.handle(raw.request, hit.params);
  }, options);
}

/** A request as read off the socket: the adapters make what their side needs of it. */
interface RawRequest {
  method: string;
  /** absolute: the mock's origin (never the Host header) and the request target */
  url: string;
  pathname: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** the route table's view of it, once a route matched */
  request?: MockRequest;
}

/** The route table's request: header lookups and the body bytes already read, nothing more (see MockRequest). */
class NodeRequest implements MockRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly bodyBytes: Buffer;

  constructor(raw: RawRequest) {
    this.method = raw.method;
    this.url = raw.url;
    this.bodyBytes = raw.body;
    const h = raw.headers;
    this.headers = {
      get: (name) => {
        const v = h[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    };
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.bodyBytes;
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.bodyBytes.toString('utf8'));
  }
}

type Dispatch = (raw: RawRequest) => Promise<Response | MockResponse | undefined>;

async function serve(dispatch: Dispatch, options: ServeOptions): Promise<RunningServer> {
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  let origin = options.publicBaseUrl?.replace(/\/$/, '') ?? '';
  const open = new OpenRequests<InFlight>();
  let stopping = false;
  const server = createServer((req, res) => {
    const x: InFlight = { req, res, chunks: [], startedAt: performance.now(), answered: stopping };
    if (stopping) return answerStopping(x, origin, 'refused-at-stop', 'it answers no new request', options.onExchange);
    open.add(x);
    const done = () => {
      x.answered = true;
      open.leave(x);
    };
    handle(dispatch, x, limit, origin, options.onExchange).then(done, (err: unknown) => {
      // a request a stop answered, or a client gone mid-body: nothing to answer; else a handler that throws is the
      // mock's bug, not the client's: answer 500 and keep serving
      if (!x.answered && !res.headersSent)
        json(res, 500, 'mock_internal_error', String((err as Error)?.message ?? err));
      done();
    });
  });
  server.keepAliveTimeout = 5000;
  // A client may send its request and then shut its write side (half-close, as `curl` with a closed stdin or a
  // proxy does): node:http by default aborts such a request and ends the socket before an answer made after an
  // await (a token verified, a body read) goes out. Keep the socket open for the answer, then close it.
  // (node:http's own switch since Node 0.x, read in its socket 'end' handler; not in @types/node)
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new HarnessError('CONFIG', `cannot listen on ${host}:${options.port ?? 0}: ${err.code ?? err.message}`, {
          fix: 'choose a free port with --port, or omit it to pick one',
        }),
      ),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const bound = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  origin ||= bound;
  return {
    url: bound,
    port,
    server,
    close: ({ drainMs = MOCK_DRAIN_MS, cutNow } = {}) =>
      drainAndClose(server, open, {
        drainMs,
        cutNow,
        begin: () => {
          stopping = true;
        },
        cut: (x, why) => answerStopping(x, origin, 'cut-at-stop', `${why}`, options.onExchange),
        end: () => undefined,
      }).then(() => undefined),
  };
}

/**
 * A request the mock answers because it is stopping — one in flight past the drain (`cut-at-stop`: its body still
 * arriving, most often) or one arriving meanwhile (`refused-at-stop`) — with a 503 `mock_stopping`; the recording hook
 * is told of it.
 */
function answerStopping(
  x: InFlight,
  origin: string,
  step: 'cut-at-stop' | 'refused-at-stop',
  why: string,
  onExchange: ServeOptions['onExchange'],
): void {
  x.answered = true;
  const arrived = x.req.complete ? '' : ", before the request's body had all arrived";
  const message = `the kling-conformance mock stopped (${why}) before it answered${arrived}`;
  const body = JSON.stringify({ error: { code: 'mock_stopping', message } });
  const headers = { 'content-type': 'application/json', connection: 'close' };
  if (!x.res.headersSent) x.res.writeHead(503, headers).end(body);
  onExchange?.(
    {
      method: (x.req.method ?? 'GET').toUpperCase(),
      url: `${origin}${x.req.url ?? '/'}`,
      headers: x.req.headers,
      body: Buffer.concat(x.chunks),
      startedAt: x.startedAt,
      endedAt: performance.now(),
      response: { status: 503, headers, body, comment: message },
      note: { step },
    },
    undefined,
  );
}

/**
 * Answers go out at the end of the event-loop turn that made them, back to back: under load each write to a client
 * that is waiting wakes it up (on this machine's virtual CPUs a wake-up cost more than the answer itself), and the
 * answers of one turn written together wake it once. Costs an answer at most the rest of that turn.
 * `setImmediate` from node:timers, not the global: a test's fake timers must not hold the mock's answers back.
 */
const pendingWrites: { res: ServerResponse; write: () => void }[] = [];
function writeSoon(res: ServerResponse, write: () => void): void {
  pendingWrites.push({ res, write });
  if (pendingWrites.length === 1) setImmediate(flushWrites);
}
function flushWrites(): void {
  for (const { res, write } of pendingWrites.splice(0)) {
    try {
      write();
    } catch {
      // an answer that cannot be written (its connection is gone) is nobody's answer
      res.destroy();
    }
  }
}

/** What the recording hook is told of an exchange the route table answered (`answer` undefined: dropped). */
const exchangeOf = (raw: RawRequest, startedAt: number, answer: WireExchange['response']): WireExchange => ({
  method: raw.method,
  url: raw.url,
  headers: raw.headers,
  body: raw.body,
  startedAt,
  endedAt: performance.now(),
  response: answer,
});

/** A request target the mock refuses: not a path, or a path with an invalid percent-escape. */
function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'the request target must be a path';
  if (path.includes('%')) {
    try {
      decodeURIComponent(path);
    } catch {
      return 'the path has an invalid percent-escape';
    }
  }
  return undefined;
}

async function handle(
  dispatch: Dispatch,
  x: InFlight,
  limit: number,
  origin: string,
  onExchange?: ServeOptions['onExchange'],
): Promise<void> {
  const { req, res, startedAt } = x;
  const method = (req.method ?? 'GET').toUpperCase();
  if (!METHODS.has(method))
    return json(res, 405, 'method_not_allowed', `${method} is not supported`, { allow: [...METHODS].join(', ') });
  const path = req.url ?? '/';
  const problem = pathProblem(path);
  if (problem) return json(res, 400, 'bad_request', problem);
  // no Content-Length and no Transfer-Encoding (a GET, most often): no body by HTTP's rules, nothing to wait for
  const h = req.headers;
  const bodiless = h['transfer-encoding'] === undefined && (h['content-length'] ?? '0') === '0';
  const body = bodiless ? NO_BODY : await readBody(req, limit, x.chunks);
  // answered by a stop while it came
  if (x.answered) return;
  if (body === undefined) {
    res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
    res.end(JSON.stringify({ error: { code: 'payload_too_large', message: `request body exceeds ${limit} bytes` } }));
    req.destroy();
    return;
  }
  // the origin is where the mock is bound (or the configured public URL), never the client's Host header
  const query = path.indexOf('?');
  const raw: RawRequest = {
    method,
    url: `${origin}${path}`,
    pathname: query < 0 ? path : path.slice(0, query),
    headers: req.headers,
    body,
  };
  const response = await dispatch(raw);
  if (x.answered) return;
  if (!response) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: `no route for ${req.method} ${req.url}` } }));
    return;
  }
  if (!(response instanceof Response)) {
    // the route table's answer: plain data, written as is
    if (response.kind === 'drop') {
      // Scenario "reset": drop the connection without an answer, as a failing load balancer would.
      req.socket.destroy();
      onExchange?.(exchangeOf(raw, startedAt, undefined), raw.request);
      return;
    }
    const { status, headers, body } = response;
    const head: Record<string, string> = {
      'content-length': String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength),
    };
    for (const name in headers) head[name] = headers[name]!;
    // a string body goes out in one write with the head (a buffer makes it a writev of two)
    writeSoon(res, () => res.writeHead(status, head).end(body));
    // told after the answer is queued: a recorder that works at the end of the turn then works after it is written
    onExchange?.(exchangeOf(raw, startedAt, response), raw.request);
    return;
  }
  if (response.type === 'error') {
    req.socket.destroy();
    return;
  }
  const out: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    out[key] = value;
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  writeSoon(res, () => res.writeHead(response.status, out).end(bytes));
}
