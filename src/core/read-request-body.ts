import type { IncomingMessage } from 'node:http';

/**
 * A request's body (gathered in `chunks` as it comes: a stop answering it midway records what came), or undefined once
 * it passes `limit` bytes. Read with stream events: an async iterator over the request cost more per request than
 * everything else the mock's adapter does. Rejects when the client goes away before the body's end.
 */
export function readBody(req: IncomingMessage, limit: number, chunks: Buffer[]): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    let ended = false;
    req.on('data', onData);
    req.once('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    });
    req.once('error', reject);
    // a client gone before the end of its body: nothing to answer. ('close' also comes after every complete
    // request: an Error built then, stack and all, only to be ignored, was a twentieth of the mock's time.)
    req.once('close', () => {
      if (!ended) reject(new Error('the client closed the request before its body ended'));
    });
  });
}
