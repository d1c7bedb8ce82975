import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Har } from '../../src/har/har-types.ts';
import type { ProxyOptions } from '../../src/proxy/proxy-options.ts';
import { startProxy } from '../../src/proxy/proxy-server.ts';
import type { ProviderSpec } from '../../src/spec/model.ts';
import { tempFolder } from './temp-folder.ts';

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

/** A proxy in front of a loopback `upstream` (allowed), recording to a HAR of its own (`entries()`: once closed). */
export async function recordingProxy(spec: ProviderSpec, upstream: string, options: Partial<ProxyOptions> = {}) {
  const har = join(tempFolder('kc-proxy-record-'), 'proxy.har');
  const proxy = await startProxy({ spec, upstream, upstreamAllow: ['127.0.0.1'], record: har, ...options });
  return { proxy, entries: () => (JSON.parse(readFileSync(har, 'utf8')) as Har).log.entries };
}
