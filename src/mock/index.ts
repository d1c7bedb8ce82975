/**
 * kling-conformance/mock: provider mocks generated from the specs, for your own tests.
 *
 * @example In-process with msw (global fetch / node:http clients):
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { loadSpecById } from 'kling-conformance';
 * import { createProviderMock } from 'kling-conformance/mock';
 * const mock = createProviderMock(await loadSpecById('evolink-kling-v3-t2v'), {}, 'https://api.gateway.test');
 * const server = setupServer(...mock.handlers);
 * server.listen();
 * ```
 * @example Over real HTTP (undici, other processes, other languages):
 * ```ts
 * const [running] = await startMocks([spec]);  // running.url = http://127.0.0.1:<port>
 * ```
 */
export { createProviderMock, type ProviderMock } from './create-mock.ts';
export { startMocks, stopMocks, type RunningMock } from './start-mocks.ts';
export { serveHandlers, serveRoutes, type RunningServer, type ServeOptions } from './serve-http.ts';
export { RouteTable, toWebResponse, type MockRequest, type MockResponse, type MockRoute } from './mock-route.ts';
export { mockRoutes } from './create-mock.ts';
export { toMswHandlers } from './msw-handlers.ts';
export type { MockOptions } from './options.ts';
export type { MockState } from './mock-state.ts';
export { parseScenario, type ScenarioStep } from './scenarios.ts';
export { ADMIN_PREFIX } from './admin-handlers.ts';
