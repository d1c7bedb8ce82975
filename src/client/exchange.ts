import type { AuthVariant } from './auth-header.ts';

/**
 * Per-request overrides: extra headers, another key (null: none), or a header built to fail auth one documented way.
 */
/** the error code of a create the spend ledger held back before it was sent */
export const BUDGET_REFUSAL = 'BUDGET';

export interface RequestExtras {
  headers?: Record<string, string>;
  apiKey?: string | null;
  auth?: AuthVariant;
}

/** One answer the client's retry loop did not keep: the request, what came back, which try it was, the wait after. */
export interface RetriedAnswer {
  method: string;
  url: string;
  status?: number;
  code?: string;
  /** 1 for the first answer of this request, 2 for the answer to its first retry… */
  attempt: number;
  delayMs: number;
  /** the gateway's id for the answer (its x-request-id header), where it gave one */
  requestId?: string;
}

/** One request as sent and what came back, for checks and reports. Keys never appear here. */
export interface Exchange {
  /** what the client chose not to do, e.g. follow a URL on another origin */
  warnings?: string[];
  /** a task made from a body the documents forbid, cancelled through the documented cancel operation */
  cancelled?: { status?: number; error?: string };
  method: string;
  url: string;
  requestBody?: unknown;
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
  text?: string;
  bytes?: Uint8Array;
  error?: { code: string; message: string };
  /** the answers the client's own retry loop sent this request again after (429, 5xx, a reset), each named */
  retries: RetriedAnswer[];
  /** the try of this same request it is (1: sent once; 2: sent again after a transient answer…), where known */
  attempt?: number;
  requestId?: string;
  /** when the request was sent (epoch ms) and how long until its answer was read whole */
  startedAt?: number;
  elapsedMs?: number;
}

/** A request that was never sent, and why (a dry run, a header that could not be built, the budget). */
export const unsentExchange = (
  method: string,
  url: string,
  requestBody: unknown,
  error: Exchange['error'],
): Exchange => ({ method, url, requestBody, headers: {}, retries: [], error });
