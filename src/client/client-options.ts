import type { Clock } from '../core/clock.ts';
import type { SpendLedger } from '../core/spend-ledger.ts';

/** How the reference client is set up for one provider: where it sends, with which key, and within which limits. */
export interface GatewayClientOptions {
  baseUrl: string;
  /**
   * the API key (or, where the spec mints tokens, the access key); registered for redaction, never logged or reported
   */
  apiKey?: string;
  /** the secret key that signs minted tokens (Kling's AK/SK scheme); registered for redaction */
  secretKey?: string;
  /** time source for retry delays and polling; inject a VirtualClock in tests. Default: real time */
  clock?: Clock;
  /** follow the spec's retry advice through undici's RetryAgent (default true) */
  retry?: boolean;
  /** jitter source, 0..1 (default Math.random) */
  random?: () => number;
  /** add the provider's idempotency key to creates that lack one (default true) */
  autoIdempotencyKey?: boolean;
  /** per-request timeout in ms, headers and whole body (default: the run setting --request-timeout's) */
  timeoutMs?: number;
  /** no request goes on past this moment (epoch ms, wall clock): the run's overall deadline */
  deadlineAt?: number;
  /** JSON bodies larger than this are cut off (default MAX_JSON_BYTES, 4 MiB) */
  maxJsonBytes?: number;
  /** result downloads larger than this are cut off (default: from the spec, see maxVideoBytes) */
  maxVideoBytes?: number;
  /** extra headers on every request (-H); the auth header is the spec's and is never overridden */
  headers?: Record<string, string>;
  /** dry run: hand each request to this instead of sending it (nothing leaves the process) */
  record?: (request: {
    method: string;
    url: string;
    body?: unknown;
    authenticated: boolean;
    spendAs?: string;
    spendKey?: string;
  }) => void;
  /** retry a create without an idempotency key after a 5xx (default false: it may bill twice) */
  retryUnsafePost?: boolean;
  /**
   * live runs: every authenticated create reserves its documented price first (refused once the budget is reached),
   * and a task made from a body the documents forbid is cancelled where a cancel operation is documented
   */
  ledger?: SpendLedger;
}
