// Half-closed clients: a client that writes its request and then shuts its write side (FIN) still gets its answer,
// on every route of the kling-official mock (whose auth is a token verified asynchronously), behind both adapters.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ADAPTERS, authFor, byId, mockOf, useAdapter, useMockHarness, validBody } from './mock-http.test-support.ts';

useMockHarness();

/** Writes `request` on a raw socket, half-closes it, and reads until the server closes: the raw answer. */
function halfClosed(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(request));
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', () => socket.destroy());
    // a socket nobody answers nor closes is the failure being tested: resolve with what came (nothing)
    socket.setTimeout(5000, () => socket.destroy());
  });
}

const requestText = (method: string, path: string, headers: Record<string, string>, body?: string) =>
  `${method} ${path} HTTP/1.1\r\nhost: mock\r\n` +
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('') +
  (body === undefined
    ? '\r\n'
    : `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);

describe.each(ADAPTERS)('half-closed clients (%s adapter)', (adapter) => {
  it('every kling-official route answers a request whose client shut its write side, then closes', async () => {
    useAdapter(adapter);
    const spec = byId('kling-official-v3');
    const { mock, client } = await mockOf(spec);
    const taskId = client.taskIdOf(await client.createTask(validBody(spec)))!;
    expect(taskId).toBeTruthy();
    const auth = await authFor(spec);
    const unanswered: string[] = [];
    let cases = 0;
    // POST /__mock/reset last: it forgets the task the other routes name
    const routes = [...mock.routes].sort(
      (a, b) => Number(a.path.endsWith('/reset')) - Number(b.path.endsWith('/reset')),
    );
    for (const route of routes) {
      const path = route.path.replace(/:task_id|:taskId|:id/g, taskId).replace(/:\w+/g, 'x1');
      const bodies = route.method === 'GET' ? [undefined] : [undefined, '{}', JSON.stringify(validBody(spec))];
      for (const body of bodies)
        for (const headers of [auth, {}]) {
          cases++;
          const answer = await halfClosed(mock.server.port, requestText(route.method, path, headers, body));
          if (!/^HTTP\/1\.1 \d{3} /.test(answer)) unanswered.push(`${route.method} ${path} ${body ?? ''}`);
        }
    }
    expect(cases).toBeGreaterThanOrEqual(2 * mock.routes.length);
    expect(unanswered).toEqual([]);
  }, 120_000);
});
