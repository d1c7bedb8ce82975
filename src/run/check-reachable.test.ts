// The reachability probe against the run's deadline: a probe the deadline cuts is the deadline, not an unreachable
// target (it used to be TARGET_UNREACHABLE, exit 2 with no report, when a loaded machine's start-up ended near it).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkReachable } from './check-reachable.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** A base URL that accepts the connection and never answers (or answers at once). */
async function gateway(answers: boolean): Promise<string> {
  server = createServer((_req, res) => void (answers && res.end('ok')));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('checkReachable and the run deadline', () => {
  it('a target still silent when the deadline passes: deadline, not unreachable', async () => {
    const url = await gateway(false);
    await expect(checkReachable(url, undefined, Date.now() + 100)).resolves.toBe('deadline');
  });

  it('past the deadline nothing is sent', async () => {
    await expect(checkReachable('http://127.0.0.1:9', undefined, Date.now() - 1)).resolves.toBe('deadline');
  });

  it('a target that answers is reachable; one that refuses is unreachable even near the deadline', async () => {
    await expect(checkReachable(await gateway(true), undefined, Date.now() + 5000)).resolves.toBe('reachable');
    const refused = await gateway(true);
    await new Promise((resolve) => server!.close(resolve));
    await expect(checkReachable(refused, undefined, Date.now() + 5000)).rejects.toThrow(
      /TARGET_UNREACHABLE|cannot reach/,
    );
  });
});
