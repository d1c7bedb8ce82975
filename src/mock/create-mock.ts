import { http, type HttpHandler } from 'msw';
import type { ProviderSpec } from '../spec/model.ts';
import type { MockOptions } from './options.ts';
import { createMockState, type MockState } from './mock-state.ts';
import { handleCreate } from './create-handler.ts';
import { handlePoll } from './poll-handler.ts';
import { handleVideo } from './video-handler.ts';
import { adminHandlers } from './admin-handlers.ts';
import { VIDEO_PATH } from './task-view.ts';

async function logged(state: MockState, operation: 'create' | 'poll', request: Request, response: Promise<Response>): Promise<Response> {
  const res = await response;
  const rejectedFor = state.rejections.get(request)?.map(({ pointer, keyword, rule, message }) => ({ pointer, keyword, rule, message }));
  state.requests.push({ operation, scenarioId: request.headers.get('x-mock-scenario-id') ?? undefined, status: res.type === 'error' ? 0 : res.status, at: state.clock.now(), ...(rejectedFor ? { rejectedFor } : {}) });
  // bounded: a long-running mock keeps the newest requests only (requestLogLimit)
  if (state.requests.length > state.options.requestLogLimit) state.requests.splice(0, state.requests.length - state.options.requestLogLimit);
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
  const pollParam = spec.x.operations.poll.taskId;
  const handlers = [
    ...adminHandlers(state, base),
    http.get(`${base}${VIDEO_PATH}:token`, ({ params }) => handleVideo(state, String(params.token))),
    http.post(`${base}${toMswPath(spec.create.path)}`, ({ request }) => logged(state, 'create', request, handleCreate(state, request))),
    http.get(`${base}${toMswPath(spec.poll.path)}`, ({ request, params }) =>
      logged(state, 'poll', request, handlePoll(state, request, pollParam.in === 'path' ? String(params[pollParam.name]) : undefined)),
    ),
  ];
  return { state, handlers };
}
