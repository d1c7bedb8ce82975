import type { OpenExchange } from './open-exchanges.ts';

/**
 * The client's request body, gathered in `x.chunks` as it comes (a stop answering it midway records what came), or
 * undefined once it passes `limit` bytes (the rest is not read). Rejects when the client goes away before its end.
 * No Content-Length and no Transfer-Encoding (a poll, most often): no body by HTTP's rules, nothing to wait for.
 */
export function readRequestBody(x: OpenExchange, limit: number): Promise<Uint8Array | undefined> {
  const { req } = x;
  if (req.headers['transfer-encoding'] === undefined && (req.headers['content-length'] ?? '0') === '0')
    return Promise.resolve(new Uint8Array(0));
  return new Promise((resolve, reject) => {
    let size = 0;
    let ended = false;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      x.chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      ended = true;
      resolve(x.chunks.length === 1 ? x.chunks[0]! : Buffer.concat(x.chunks));
    });
    req.once('error', reject);
    req.once('close', () => {
      if (!ended) reject(new Error('the client closed the request before its body ended'));
    });
  });
}

/**
 * The upstream's answer body up to `limit` bytes, read until `deadline` on `now`'s clock: 'too-large' past the limit,
 * 'too-late' when a part arrives past the deadline (an answer trickling in forever); either way the rest is not read.
 * A body that stops arriving altogether is undici's `bodyTimeout`.
 */
export async function readUpstreamBody(
  body: AsyncIterable<Uint8Array> & { destroy(err?: Error): unknown },
  limit: number,
  deadline: number,
  now: () => number,
): Promise<Uint8Array | 'too-large' | 'too-late'> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    const past = size > limit ? 'too-large' : now() > deadline ? 'too-late' : undefined;
    if (past) {
      body.destroy();
      return past;
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks));
}
