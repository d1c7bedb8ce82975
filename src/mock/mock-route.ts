import type { ExchangeNote } from '../har/har-types.ts';
/**
 * The mock's behaviour, free of any HTTP framework: a route is a method, a path template (`:name` segments, as msw
 * writes them) and a function from a web Request (and the path's parameters) to a web Response. Two thin adapters
 * serve the same routes: msw handlers for in-process use (msw-handlers.ts) and a direct node:http route table for
 * serving over a socket (serve-routes.ts).
 */
export interface MockRoute {
  method: string;
  /** e.g. `/v1/videos/generations`, `/v1/tasks/:task_id`, `/__mock/info` */
  path: string;
  handle(request: MockRequest, params: Record<string, string>): Promise<MockResponse> | MockResponse;
}

/**
 * What a route answers: a status, headers and the body already serialised — or a dropped connection (the "reset"
 * scenario). Plain data: the node:http adapter writes it as is, the msw adapter makes a web Response of it.
 */
export type MockResponse =
  | { kind: 'answer'; status: number; headers: Record<string, string>; body: string | Uint8Array }
  | { kind: 'drop' };

type AnswerInit = { status?: number; headers?: Record<string, string> };

/** A JSON answer (content-type application/json unless the headers say otherwise). */
export const answerJson = (value: unknown, init: AnswerInit = {}): MockResponse => ({
  kind: 'answer',
  status: init.status ?? 200,
  headers: { 'content-type': 'application/json', ...init.headers },
  body: JSON.stringify(value),
});

/** A JSON answer already serialised (a compiled template's text). */
export const answerJsonText = (text: string, init: AnswerInit = {}): MockResponse => ({
  kind: 'answer',
  status: init.status ?? 200,
  headers: { 'content-type': 'application/json', ...init.headers },
  body: text,
});

/** A text or bytes answer (text/plain unless the headers say otherwise). */
export const answer = (body: string | Uint8Array, init: AnswerInit = {}): MockResponse => ({
  kind: 'answer',
  status: init.status ?? 200,
  headers: {
    'content-type': typeof body === 'string' ? 'text/plain;charset=UTF-8' : 'application/octet-stream',
    ...init.headers,
  },
  body,
});

/** Drop the connection without an answer, as a failing load balancer would. */
export const DROP: MockResponse = { kind: 'drop' };

export const isMockResponse = (x: unknown): x is MockResponse =>
  typeof x === 'object' && x !== null && ((x as MockResponse).kind === 'answer' || (x as MockResponse).kind === 'drop');

/** For the msw adapter: the answer as a web Response (a dropped connection is Response.error()). */
export function toWebResponse(r: MockResponse): Response {
  if (r.kind === 'drop') return Response.error();
  return new Response(r.body as BodyInit, { status: r.status, headers: r.headers });
}

/**
 * What the mock reads of a request: a web `Request` is one (the msw adapter passes it as is); the node:http adapter
 * passes a plain object over the bytes it already read — no web Request, no AbortSignal, no body stream per request.
 */
export interface MockRequest {
  readonly method: string;
  /** absolute: the mock's origin and the request's path and query */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  /** the body's bytes where the adapter has already read them (the node:http adapter): no copy, no promise */
  readonly bodyBytes?: Uint8Array;
  json(): Promise<unknown>;
  /** what the mock knew of this exchange (task, step, fault), set only while recording: the recorder reads it */
  note?: ExchangeNote;
}

/** An OpenAPI path (`/tasks/{task_id}`) as a route path (`/tasks/:task_id`). */
export const routePath = (openApiPath: string): string => openApiPath.replace(/\{([^}]+)\}/g, ':$1');

interface CompiledRoute {
  route: MockRoute;
  pattern: RegExp;
  names: string[];
}

/** Routes compiled for matching a request's method and path (query ignored), first match wins, as msw orders them. */
export class RouteTable {
  private readonly byMethod = new Map<string, CompiledRoute[]>();

  constructor(routes: readonly MockRoute[]) {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.path
        .split('/')
        .map((segment) => {
          const param = /^:(\w+)(.*)$/.exec(segment);
          if (!param) return escapeRegExp(segment);
          names.push(param[1]!);
          // a parameter is one non-empty path segment; text after it in the segment must follow literally
          return `([^/]+?)${escapeRegExp(param[2]!)}`;
        })
        .join('/');
      const list = this.byMethod.get(route.method) ?? this.byMethod.set(route.method, []).get(route.method)!;
      list.push({ route, names, pattern: new RegExp(`^${source}/?$`) });
    }
  }

  /** The route for `method` and `pathname` (no query), with its decoded parameters. */
  match(method: string, pathname: string): { route: MockRoute; params: Record<string, string> } | undefined {
    for (const c of this.byMethod.get(method) ?? []) {
      const m = c.pattern.exec(pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        params[name] = safeDecode(m[i + 1]!);
      });
      return { route: c.route, params };
    }
    return undefined;
  }
}

/** Text as a regular expression that matches it literally (valid with and without the `u` flag). */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function safeDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
