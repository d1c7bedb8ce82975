import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type HttpHandler } from 'msw';
import { HarnessError } from '../core/errors.ts';
import { RouteTable, type MockRequest, type MockResponse, type MockRoute } from './mock-route.ts';

export interface ServeOptions {
  /** port to listen on; 0 (default) picks a free one */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** larger bodies get 413 before any handler runs (default 1 MiB) */
  bodyLimitBytes?: number;
  /** the origin handlers see (and result links use); default the bound address. The Host header is never used. */
  publicBaseUrl?: string;
}

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
  close(): Promise<void>;
}

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
    return hit ? hit.route.handle(new NodeRequest(raw), hit.params) : undefined;
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
}

/** The route table's request: header lookups and the body bytes already read, nothing more (see MockRequest). */
class NodeRequest implements MockRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  private readonly body: Buffer;

  constructor(raw: RawRequest) {
    this.method = raw.method;
    this.url = raw.url;
    this.body = raw.body;
    const h = raw.headers;
    this.headers = {
      get: (name) => {
        const v = h[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    };
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body.toString('utf8'));
  }
}

type Dispatch = (raw: RawRequest) => Promise<Response | MockResponse | undefined>;

async function serve(dispatch: Dispatch, options: ServeOptions): Promise<RunningServer> {
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  let origin = options.publicBaseUrl?.replace(/\/$/, '') ?? '';
  const server = createServer((req, res) => {
    handle(dispatch, req, res, limit, origin).catch((err: unknown) => {
      // A handler that throws is the mock's bug, not the client's: answer 500 and keep serving.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ error: { code: 'mock_internal_error', message: String((err as Error)?.message ?? err) } }),
      );
    });
  });
  server.keepAliveTimeout = 5000;
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  dispatch: Dispatch,
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
  origin: string,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  if (!METHODS.has(method))
    return json(res, 405, 'method_not_allowed', `${method} is not supported`, { allow: [...METHODS].join(', ') });
  const path = req.url ?? '/';
  if (!path.startsWith('/')) return json(res, 400, 'bad_request', 'the request target must be a path');
  try {
    decodeURIComponent(path);
  } catch {
    return json(res, 400, 'bad_request', 'the path has an invalid percent-escape');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { code: 'payload_too_large', message: `request body exceeds ${limit} bytes` } }));
      req.destroy();
      return;
    }
    chunks.push(chunk as Buffer);
  }
  // the origin is where the mock is bound (or the configured public URL), never the client's Host header
  const query = path.indexOf('?');
  const response = await dispatch({
    method,
    url: `${origin}${path}`,
    pathname: query < 0 ? path : path.slice(0, query),
    headers: req.headers,
    body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
  });
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
      return;
    }
    const { body } = response;
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
    res.writeHead(response.status, { ...response.headers, 'content-length': String(length) });
    // a string body goes out in one write with the head (a buffer makes it a writev of two)
    res.end(body);
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
  res.writeHead(response.status, out);
  res.end(Buffer.from(await response.arrayBuffer()));
}
