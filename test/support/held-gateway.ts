import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the held gateway has read and not answered: the test answers it when it chooses (or never). */
export interface HeldRequest {
  method: string;
  url: string;
  body: string;
  res: ServerResponse;
  answer(status: number, body: unknown): void;
}

/**
 * A loopback upstream that answers nothing by itself: each request waits, body read, until the test answers it
 * through `next()` — a gateway as slow as the test wants, without a timer.
 */
export async function heldGateway() {
  const queued: HeldRequest[] = [];
  const waiting: ((h: HeldRequest) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const held: HeldRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        body: Buffer.concat(chunks).toString(),
        res,
        answer: (status, body) =>
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
      };
      const waiter = waiting.shift();
      if (waiter) waiter(held);
      else queued.push(held);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** the next request to arrive (resolves once it has, body and all) */
    next: (): Promise<HeldRequest> => {
      const held = queued.shift();
      return held ? Promise.resolve(held) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
