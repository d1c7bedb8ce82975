import type { ProviderSpec } from '../spec/model.ts';
import { createProviderMock, type ProviderMock } from './create-mock.ts';
import type { MockOptions } from './options.ts';
import { serveHandlers, serveRoutes, type RunningServer } from './serve-http.ts';

export interface RunningMock extends ProviderMock {
  provider: string;
  server: RunningServer;
  url: string;
}

/** Starts one HTTP mock per provider, each on its own port (0 = free ports). */
export async function startMocks(
  specs: ProviderSpec[],
  options: MockOptions = {},
  ports: {
    first?: number;
    host?: string;
    /** 'routes' (default): the node:http route table; 'msw': the same routes as msw handlers behind getResponse */
    adapter?: 'routes' | 'msw';
  } = {},
): Promise<RunningMock[]> {
  const started: RunningMock[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      const mock = createProviderMock(spec, options);
      const serveOptions = {
        port: ports.first ? ports.first + i : 0,
        host: ports.host,
        bodyLimitBytes: mock.state.options.bodyLimitBytes,
        publicBaseUrl: options.publicBaseUrl,
      };
      const server =
        ports.adapter === 'msw'
          ? await serveHandlers(mock.handlers, serveOptions)
          : await serveRoutes(mock.routes, serveOptions);
      started.push({ ...mock, provider: spec.id, server, url: server.url });
    }
  } catch (err) {
    await Promise.all(started.map((m) => m.server.close()));
    throw err;
  }
  return started;
}

export async function stopMocks(mocks: RunningMock[]): Promise<void> {
  for (const m of mocks) m.state.closing.abort();
  await Promise.all(mocks.map((m) => m.server.close()));
}
