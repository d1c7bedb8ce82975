import type { Dispatcher } from 'undici';
import { getAt } from '../core/json-pointer.ts';
import type { Exchange } from './exchange.ts';

/** Reads a body up to `limit` bytes; past it, stops reading (destroys the stream) and answers undefined. */
export async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy?(err?: Error): unknown },
  limit: number,
): Promise<Uint8Array | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) {
      body.destroy?.();
      return undefined;
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * An answer into its exchange: status, headers, the body read up to `limit` bytes (past it: BODY_TOO_LARGE, nothing
 * kept), as bytes (`raw`: a result video) or as text and JSON (a body that is not JSON keeps its text), and the
 * gateway's request id (at the spec's pointer, else the x-request-id header).
 */
export async function readAnswer(
  res: Dispatcher.ResponseData,
  exchange: Exchange,
  options: { limit: number; raw: boolean; requestIdPointer?: string },
): Promise<void> {
  exchange.status = res.statusCode;
  for (const [k, v] of Object.entries(res.headers))
    if (v !== undefined) exchange.headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
  const bytes = await readCapped(res.body, options.limit);
  if (bytes === undefined) {
    exchange.error = {
      code: 'BODY_TOO_LARGE',
      message: `the body exceeded ${options.limit} bytes and was not read further`,
    };
    return;
  }
  if (options.raw) exchange.bytes = bytes;
  else {
    exchange.text = new TextDecoder().decode(bytes);
    try {
      exchange.body = exchange.text ? JSON.parse(exchange.text) : undefined;
    } catch {
      exchange.body = undefined;
    }
  }
  const pointer = options.requestIdPointer;
  const rid = (pointer ? getAt(exchange.body, pointer) : undefined) ?? exchange.headers['x-request-id'];
  if (typeof rid === 'string') exchange.requestId = rid;
}
