import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The mock behind a pass-through that drops `object` from the first create answer: a gateway that drifts once. */
export async function driftingGateway(target: string) {
  const seen: string[] = [];
  let drifted = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url?.includes('redirect-me')) {
        res.writeHead(302, { location: `${target}/v1/tasks/elsewhere` }).end();
        return;
      }
      const upstream = httpRequest(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        const parts: Buffer[] = [];
        answer.on('data', (c: Buffer) => parts.push(c));
        answer.on('end', () => {
          let body = Buffer.concat(parts).toString();
          if (req.method === 'POST' && !drifted && answer.statusCode === 200) {
            drifted = true;
            const { object: _dropped, ...rest } = JSON.parse(body) as Record<string, unknown>;
            body = JSON.stringify(rest);
          }
          res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' }).end(body);
        });
      });
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
}
