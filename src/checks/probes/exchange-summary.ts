import type { Exchange } from '../../client/gateway-client.ts';
import { BUDGET_REFUSAL } from '../../client/exchange.ts';
import type { Finding } from '../types.ts';

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
  /** the answers the client's retry loop sent this request again after, each named (noise, not the contract) */
  retried?: { method: string; url: string; status?: number; error?: string; attempt: number; requestId?: string }[];
  /** the try of this same request it is (1: first; 2: sent again after a transient answer…), where known */
  attempt?: number;
  startedAt?: number;
  elapsedMs?: number;
  /** a task made from a forbidden body, cancelled at once through the documented cancel operation */
  cancelled?: { status?: number; error?: string };
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
    ...(e.retries.length ? { retried: e.retries.map(retriedAnswer) } : {}),
    ...(e.attempt !== undefined ? { attempt: e.attempt } : {}),
    startedAt: e.startedAt,
    elapsedMs: e.elapsedMs,
    ...(e.cancelled ? { cancelled: e.cancelled } : {}),
  };
}

const retriedAnswer = (r: Exchange['retries'][number]): NonNullable<ExchangeSummary['retried']>[number] => ({
  method: r.method,
  url: r.url,
  ...(r.status !== undefined ? { status: r.status } : {}),
  ...(r.code ? { error: r.code } : {}),
  attempt: r.attempt,
  ...(r.requestId ? { requestId: r.requestId } : {}),
});

/** What a report says of a wrongly made task: cancelled at once (and how that went), or nothing. */
export function cancelNote(e: Pick<ExchangeSummary, 'cancelled'>): string {
  if (!e.cancelled) return '';
  return e.cancelled.status !== undefined && e.cancelled.status < 300
    ? `; cancelled at once through the documented cancel operation (${e.cancelled.status})`
    : `; the documented cancel was tried at once and failed (${e.cancelled.status ?? e.cancelled.error})`;
}

export const requestIdsOf = (...summaries: (ExchangeSummary | undefined)[]): string[] =>
  summaries.map((s) => s?.requestId).filter((id): id is string => Boolean(id));

/**
 * The verdict when any exchange got no complete answer — no status, or a body that could not be read whole (cut
 * off, stalled, past the deadline): nothing to judge, so `error` with an evidence finding, never a pass or a fail.
 * Undefined when every exchange was answered.
 */
export function unansweredVerdict(
  ...exchanges: ExchangeSummary[]
): { status: 'error' | 'skip'; message: string; findings: Finding[] } | undefined {
  const missing = exchanges.filter((e) => e.status === undefined || e.error);
  if (!missing.length) return undefined;
  // held back by the spend ledger before it left the process: not sent for budget, nothing observed
  if (missing.every((e) => e.status === undefined && e.error?.startsWith(`${BUDGET_REFUSAL}: `)))
    return { status: 'skip', message: `risky, ${missing[0]!.error!.slice(BUDGET_REFUSAL.length + 2)}`, findings: [] };
  const why = missing.map((e) => `${e.status ? `(status ${e.status}) ` : ''}${e.error ?? 'no status'}`).join('; ');
  const message = `no complete answer: ${why}`;
  return { status: 'error', message, findings: [{ kind: 'evidence', message }] };
}
