import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReachable } from './check-reachable.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

/** A loopback server that takes requests and never answers them. */
async function silent(): Promise<string> {
  server = createServer(() => undefined);
  await new Promise<void>((ready) => server!.listen(0, '127.0.0.1', ready));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('checkReachable', () => {
  it('a probe cut short by the run deadline judges nothing: the checks report the deadline', async () => {
    const url = await silent();
    await expect(checkReachable(url, undefined, Date.now() + 150)).resolves.toBeUndefined();
    server!.closeAllConnections();
  });

  it('a refused connection is TARGET_UNREACHABLE, whatever the deadline', async () => {
    const url = await silent();
    await new Promise<void>((done) => server!.close(() => done()));
    server = undefined;
    await expect(checkReachable(url, undefined, Date.now() + 5_000)).rejects.toMatchObject({
      code: 'TARGET_UNREACHABLE',
    });
  });

  it('past the deadline nothing is sent', async () => {
    await expect(checkReachable('http://127.0.0.1:9', undefined, Date.now() - 1)).resolves.toBeUndefined();
  });
});
