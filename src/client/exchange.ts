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
  retries: { status?: number; code?: string; delayMs: number }[];
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
