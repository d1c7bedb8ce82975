import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the scripted gateway answers a request with: a status and a JSON body, or a text body of its type. */
export interface ScriptedAnswer {
  status: number;
  json?: unknown;
  text?: string;
  type?: string;
}

/**
 * A loopback upstream that answers each request as `script` says (method, path, body as text): a gateway that
 * refuses what its documents accept, or that is not the gateway at all. `seen`: each request as "METHOD path".
 */
export async function scriptedGateway(script: (method: string, path: string, body: string) => ScriptedAnswer) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const a = script(req.method ?? 'GET', req.url ?? '/', Buffer.concat(chunks).toString());
      const body = a.json !== undefined ? JSON.stringify(a.json) : (a.text ?? '');
      res.writeHead(a.status, { 'content-type': a.type ?? 'application/json' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
