import type { HttpHandler } from 'msw';
import type { ProviderSpec } from '../spec/model.ts';
import { taskOperation } from '../spec/operations.ts';
import type { MockOptions } from './options.ts';
import { createMockState, type MockState, type RequestRecord } from './mock-state.ts';
import { handleCreate } from './create-handler.ts';
import { handleTaskOperation } from './task-operation-handler.ts';
import { handleVideo } from './video-handler.ts';
import { adminRoutes } from './admin-handlers.ts';
import { routePath, type MockRequest, type MockResponse, type MockRoute } from './mock-route.ts';
import { toMswHandlers } from './msw-handlers.ts';
import { VIDEO_PATH } from './task-view.ts';

async function logged(
  state: MockState,
  operation: RequestRecord['operation'],
  request: MockRequest,
  response: Promise<MockResponse>,
): Promise<MockResponse> {
  const res = await response;
  const rejectedFor = state.rejections
    .get(request)
    ?.map(({ pointer, keyword, rule, message }) => ({ pointer, keyword, rule, message }));
  const record: RequestRecord = {
    operation,
    scenarioId: request.headers.get('x-mock-scenario-id') ?? undefined,
    status: res.kind === 'drop' ? 0 : res.status,
    at: state.clock.now(),
  };
  if (rejectedFor) record.rejectedFor = rejectedFor;
  state.requests.push(record);
  // bounded: a long-running mock keeps the newest requests only (requestLogLimit), trimmed in batches (shifting a
  // 10,000-entry array on every request was a measurable share of the mock's CPU); readers see the newest `limit`
  const limit = state.options.requestLogLimit;
  if (state.requests.length >= limit + Math.max(64, limit >> 2))
    state.requests.splice(0, state.requests.length - limit);
  return res;
}

export interface ProviderMock {
  state: MockState;
  /** the mock's behaviour as framework-free routes (a request in, a web MockResponse out): served over HTTP by
   * serveRoutes */
  routes: MockRoute[];
  /** the same routes as msw request handlers: use them with setupServer() in your own tests */
  handlers: HttpHandler[];
}

/**
 * Builds a provider's mock from its spec alone (no per-provider code).
 * `baseUrl` limits the msw handlers to one origin (e.g. 'https://gateway.test'); the default '*' matches any.
 */
export function createProviderMock(spec: ProviderSpec, options: MockOptions = {}, baseUrl = '*'): ProviderMock {
  const state = createMockState(spec, options);
  const routes = mockRoutes(state);
  return { state, routes, handlers: toMswHandlers(routes, baseUrl.replace(/\/$/, '')) };
}

/** Every route of a provider's mock: control endpoints, result videos, create, and each declared task operation. */
export function mockRoutes(state: MockState): MockRoute[] {
  const spec = state.spec;
  // every declared task operation (poll, and result / cancel where documented) on its documented method and path
  const taskRoutes = (['poll', 'result', 'cancel'] as const).flatMap((name): MockRoute[] => {
    const op = taskOperation(spec, name);
    if (!op) return [];
    const param = op.decl.taskId;
    return [
      {
        method: op.model.method.toUpperCase(),
        path: routePath(op.model.path),
        handle: (request, params) =>
          logged(
            state,
            name,
            request,
            handleTaskOperation(state, name, request, param.in === 'path' ? params[param.name] : undefined),
          ),
      },
    ];
  });
  return [
    ...adminRoutes(state),
    {
      method: 'GET',
      path: `${VIDEO_PATH}:token`,
      handle: (request, params) => handleVideo(state, params.token ?? '', request),
    },
    {
      method: 'POST',
      path: routePath(spec.create.path),
      handle: (request) => logged(state, 'create', request, handleCreate(state, request)),
    },
    ...taskRoutes,
  ];
}
