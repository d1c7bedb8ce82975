import type { Exchange } from '../../client/gateway-client.ts';

/** What a report keeps of one HTTP exchange: enough to judge and to reproduce, never the key or raw bytes. */
export interface ExchangeSummary {
  method: string;
  url: string;
  status?: number;
  body?: unknown;
  text?: string;
  headers: Record<string, string>;
  requestId?: string;
  error?: string;
  retries: number;
  startedAt?: number;
  elapsedMs?: number;
}

export function summarise(e: Exchange): ExchangeSummary {
  return {
    method: e.method,
    url: e.url,
    status: e.status,
    body: e.body,
    text: e.body === undefined && e.text ? e.text.slice(0, 500) : undefined,
    headers: e.headers,
    requestId: e.requestId,
    error: e.error ? `${e.error.code}: ${e.error.message}` : undefined,
    retries: e.retries.length,
    startedAt: e.startedAt,
    elapsedMs: e.elapsedMs,
  };
}

export const requestIdsOf = (...summaries: (ExchangeSummary | undefined)[]): string[] =>
  summaries.map((s) => s?.requestId).filter((id): id is string => Boolean(id));
