import type { ProviderSpec } from '../spec/model.ts';
import { createProviderMock, type ProviderMock } from './create-mock.ts';
import type { MockOptions } from './options.ts';
import { serveHandlers, serveRoutes, type RunningServer, type ServeOptions } from './serve-http.ts';
import type { MockState } from './mock-state.ts';
import { ADMIN_PREFIX } from './admin-handlers.ts';
import { VIDEO_PATH } from './task-view.ts';
import type { HarRecorder } from '../har/har-recorder.ts';

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
  const recorders: HarRecorder[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      // several providers recording: one file each, the provider's id before the extension
      const file = options.record?.file;
      const record =
        file && specs.length > 1 ? { ...options.record, file: file.replace(/(\.har)?$/, `.${spec.id}$1`) } : undefined;
      const mock = createProviderMock(spec, record ? { ...options, record } : options);
      if (mock.state.recorder) recorders.push(mock.state.recorder);
      const serveOptions = {
        port: ports.first ? ports.first + i : 0,
        host: ports.host,
        bodyLimitBytes: mock.state.options.bodyLimitBytes,
        publicBaseUrl: options.publicBaseUrl,
        onExchange: recordingHook(mock.state),
      };
      const server =
        ports.adapter === 'msw'
          ? await serveHandlers(mock.handlers, serveOptions)
          : await serveRoutes(mock.routes, serveOptions);
      started.push({ ...mock, provider: spec.id, server, url: server.url });
    }
  } catch (err) {
    await Promise.all(started.map((m) => m.server.close()));
    // mocks that never served (a port taken) leave no recording behind
    for (const r of recorders) r.discard();
    throw err;
  }
  return started;
}

/**
 * Stops the mocks gracefully: scripted delays end at once, the requests in flight are answered (past `drainMs`, or
 * when `cutNow` settles, with a 503 `mock_stopping`, recorded as `cut-at-stop`), then each recording is closed.
 */
export async function stopMocks(mocks: RunningMock[], drain: { drainMs?: number; cutNow?: Promise<string> } = {}) {
  for (const m of mocks) {
    m.state.closing.abort();
    m.state.outbox.stop();
  }
  await Promise.all(mocks.map((m) => m.server.close(drain)));
  for (const m of mocks) m.state.recorder?.close();
}

/** What a recording mock writes: client traffic, with what the mock knew; its own control calls are left out. */
function recordingHook(state: MockState): ServeOptions['onExchange'] {
  const recorder = state.recorder;
  if (!recorder) return undefined;
  return (exchange, request) => {
    const url = exchange.url;
    const path = url.indexOf('/', url.indexOf('//') + 2);
    if (url.startsWith(ADMIN_PREFIX, path) && !url.startsWith(VIDEO_PATH, path)) return;
    if (request?.note) exchange.note = request.note;
    recorder.record(exchange);
  };
}
