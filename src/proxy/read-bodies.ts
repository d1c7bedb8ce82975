import { readBody } from '../core/read-request-body.ts';
import type { OpenExchange } from './open-exchanges.ts';

/** The body of a request without one (shared: never written to) */
export const NO_BODY = Buffer.alloc(0);

/**
 * The client's request body, gathered in `x.chunks` as it comes (a stop answering it midway records what came), or
 * undefined once it passes `limit` bytes (the rest is not read). Rejects when the client goes away before its end.
 * No Content-Length and no Transfer-Encoding (a poll, most often): no body by HTTP's rules, nothing to wait for.
 */
export function readRequestBody(x: OpenExchange, limit: number): Promise<Uint8Array | undefined> {
  const { headers } = x.req;
  if (headers['transfer-encoding'] === undefined && (headers['content-length'] ?? '0') === '0')
    return Promise.resolve(NO_BODY);
  return readBody(x.req, limit, x.chunks);
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
