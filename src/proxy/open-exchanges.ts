import type { IncomingMessage, ServerResponse } from 'node:http';

export type ProxyOperation = 'create' | 'poll' | 'other';

/** A request the proxy has not finished answering: enough to answer and record it itself if it must stop. */
export interface OpenExchange {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  target: string;
  /** its arrival number (0 first): its HAR entry, less the requests before it that got no answer */
  seq: number;
  startedAt: number;
  operation: ProxyOperation;
  /** the request body as far as it has come (whole once read) */
  chunks: Buffer[];
  /** sent on to the upstream: answered by the proxy instead, the gateway's outcome is unknown */
  forwarded: boolean;
  /** its answer is written (the upstream's or the proxy's own): nothing more is written or recorded for it */
  answered: boolean;
  /** why the upstream failed it, when it did (counted towards --max-upstream-failures) */
  upstreamFailure?: string;
}
