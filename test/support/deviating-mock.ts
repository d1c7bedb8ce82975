// Test-only: a gateway that departs from its documents in one way, built as an msw handler in front of the
// generated mock handlers (msw's own override pattern). The shipped mock has no fault switches of this kind.
import { getResponse, http, HttpResponse } from 'msw';
import { createProviderMock } from '../../src/mock/create-mock.ts';
import type { MockOptions } from '../../src/mock/options.ts';
import { serveHandlers } from '../../src/mock/serve-http.ts';
import type { ProviderSpec } from '../../src/spec/model.ts';
import { getAt, setAt } from '../../src/core/json-pointer.ts';

export interface Exchange {
  spec: ProviderSpec;
  /** the operation the request is for, by path */
  operation: 'create' | 'poll' | 'video' | 'admin' | 'other';
  /** send a request to the faithful mock */
  forward(request: Request): Promise<Response>;
}

/** A departure: rewrite the request before the faithful mock sees it, or its response after. */
export interface Deviation {
  request?(request: Request, x: Exchange): Promise<Request | Response> | Request | Response;
  response?(response: Response, request: Request, x: Exchange): Promise<Response> | Response;
}

function operationOf(spec: ProviderSpec, request: Request): Exchange['operation'] {
  const path = new URL(request.url).pathname;
  if (path.startsWith('/__mock/videos/')) return 'video';
  if (path.startsWith('/__mock/')) return 'admin';
  if (request.method === 'POST' && path === spec.create.path) return 'create';
  const pollRe = new RegExp(`^${spec.poll.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return request.method === 'GET' && pollRe.test(path) ? 'poll' : 'other';
}

export async function startDeviatingMock(
  spec: ProviderSpec,
  options: MockOptions,
  deviation: Deviation,
): Promise<{ url: string; close(): Promise<void> }> {
  const mock = createProviderMock(spec, options);
  const forward = async (r: Request) =>
    (await getResponse(mock.handlers, r)) ?? HttpResponse.json({ error: 'no route' }, { status: 404 });
  const front = http.all('*', async ({ request }) => {
    const x: Exchange = { spec, operation: operationOf(spec, request), forward };
    const changed = deviation.request ? await deviation.request(request, x) : request;
    if (changed instanceof Response) return changed;
    const res = await forward(changed);
    return deviation.response && res.type !== 'error' ? deviation.response(res, changed, x) : res;
  });
  const server = await serveHandlers([front]);
  return { url: server.url, close: () => server.close() };
}

/** A copy of a request with a new JSON body (or headers). */
export async function withBody(
  request: Request,
  edit: (body: Record<string, unknown>) => Record<string, unknown> | undefined,
  headers?: Record<string, string>,
): Promise<Request> {
  const body = (await request
    .clone()
    .json()
    .catch(() => ({}))) as Record<string, unknown>;
  const next = edit(body) ?? body;
  const h = new Headers(request.headers);
  for (const [k, v] of Object.entries(headers ?? {})) h.set(k, v);
  h.delete('content-length');
  return new Request(request.url, { method: request.method, headers: h, body: JSON.stringify(next) });
}

/** A copy of a JSON response with its body edited (status kept unless given). */
export async function editJson(
  response: Response,
  edit: (body: unknown) => unknown,
  status = response.status,
): Promise<Response> {
  const body = await response
    .clone()
    .json()
    .catch(() => undefined);
  if (body === undefined) return response;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(edit(body) ?? body), { status, headers });
}

/** Rewrites the status word at the spec's status pointer in create and poll bodies. */
export const rewriteStatusWords = (map: Record<string, string>): Deviation => ({
  response: (res, _req, x) =>
    x.operation === 'create' || x.operation === 'poll'
      ? editJson(res, (b) => {
          const pointer = x.spec.x.lifecycle.statusPointer;
          const word = getAt(b, pointer);
          if (typeof word === 'string' && map[word]) setAt(b as Record<string, unknown>, pointer, map[word]);
          return b;
        })
      : res,
});
