import { http, type HttpHandler } from 'msw';
import type { ProviderSpec } from '../spec/model.ts';
import { taskOperation } from '../spec/operations.ts';
import type { MockOptions } from './options.ts';
import { createMockState, type MockState, type RequestRecord } from './mock-state.ts';
import { handleCreate } from './create-handler.ts';
import { handleTaskOperation } from './task-operation-handler.ts';
import { handleVideo } from './video-handler.ts';
import { adminHandlers } from './admin-handlers.ts';
import { VIDEO_PATH } from './task-view.ts';

async function logged(
  state: MockState,
  operation: RequestRecord['operation'],
  request: Request,
  response: Promise<Response>,
): Promise<Response> {
  const res = await response;
  const rejectedFor = state.rejections
    .get(request)
    ?.map(({ pointer, keyword, rule, message }) => ({ pointer, keyword, rule, message }));
  state.requests.push({
    operation,
    scenarioId: request.headers.get('x-mock-scenario-id') ?? undefined,
    status: res.type === 'error' ? 0 : res.status,
    at: state.clock.now(),
    ...(rejectedFor ? { rejectedFor } : {}),
  });
  // bounded: a long-running mock keeps the newest requests only (requestLogLimit)
  if (state.requests.length > state.options.requestLogLimit)
    state.requests.splice(0, state.requests.length - state.options.requestLogLimit);
  return res;
}

export interface ProviderMock {
  state: MockState;
  /** msw request handlers: use them with setupServer() in your own tests, or serve them over HTTP */
  handlers: HttpHandler[];
}

/**
 * Builds a provider's mock from its spec alone (no per-provider code).
 * `baseUrl` limits the handlers to one origin (e.g. 'https://gateway.test'); the default '*' matches any.
 */
export function createProviderMock(spec: ProviderSpec, options: MockOptions = {}, baseUrl = '*'): ProviderMock {
  const state = createMockState(spec, options);
  const base = baseUrl.replace(/\/$/, '');
  const toMswPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');
  // every declared task operation (poll, and result / cancel where documented) on its documented method and path
  const taskHandlers = (['poll', 'result', 'cancel'] as const).flatMap((name) => {
    const op = taskOperation(spec, name);
    if (!op) return [];
    const route = http[op.model.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'];
    const param = op.decl.taskId;
    return [
      route(`${base}${toMswPath(op.model.path)}`, ({ request, params }) =>
        logged(
          state,
          name,
          request,
          handleTaskOperation(state, name, request, param.in === 'path' ? String(params[param.name]) : undefined),
        ),
      ),
    ];
  });
  const handlers = [
    ...adminHandlers(state, base),
    http.get(`${base}${VIDEO_PATH}:token`, ({ params }) => handleVideo(state, String(params.token))),
    http.post(`${base}${toMswPath(spec.create.path)}`, ({ request }) =>
      logged(state, 'create', request, handleCreate(state, request)),
    ),
    ...taskHandlers,
  ];
  return { state, handlers };
}
