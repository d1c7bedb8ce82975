import type { Clock } from '../core/clock.ts';
import type { ClaimChoice, ProviderSpec } from '../spec/model.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';

export interface MockOptions {
  /** where documents disagree on behaviour (defaults, link lifetime, error codes): follow the claim marked for the
   * mock, or the other one. Default 'mock'. */
  claims?: ClaimChoice;
  /**
   * where documents disagree on what is valid (x-conformance.alternatives: ranges, enums, model id). Default 'mock'.
   */
  schemaClaims?: ClaimChoice;
  /**
   * static keys that authenticate (after the spec's auth prefix); default: any non-empty key but the auth checks'
   * wrong one (it starts with `kc-invalid-key-`)
   */
  validKeys?: string[];
  /**
   * access key / secret key pairs whose minted tokens authenticate, where the spec's auth scheme is a JWT;
   * default one pair: kc-mock-access-key / kc-mock-secret-key
   */
  credentials?: { accessKey: string; secretKey: string }[];
  /** time source; default a VirtualClock starting now (nothing sleeps; advance it from tests or /__mock/clock) */
  clock?: Clock & { advance?(ms: number): void };
  /** tasks end after this many polls (default 3: initial, running, terminal) unless `completeAfterMs` is set */
  completeAfterPolls?: number;
  /** tasks end after this much (virtual) time instead of after N polls */
  completeAfterMs?: number;
  /** enforce the documented rate limits (default false: suites poll freely) */
  rateLimit?: boolean;
  /** allow http:// and loopback callback URLs even where the provider forbids them (default false) */
  allowLoopbackCallbacks?: boolean;
  /**
   * host names the mock may call back besides loopback (default none). Whatever a provider allows, the mock
   * never calls anything else, and never a link-local (cloud metadata) address.
   */
  callbackAllow?: string[];
  /**
   * the account's default callback URL, where a provider documents that a request's callback_url must keep its
   * scheme, host and port (a same-origin URL rule); without it that rule is not judged
   */
  callbackDefault?: string;
  /**
   * the account's webhook signing secret. Where a provider documents that a callback URL in a request is refused
   * unless the account has webhook settings (requiresConfiguredWebhook: a default URL, a secret), the mock's account
   * has them only when given callbackDefault (and this, where a secret is needed); otherwise such a create gets the
   * documented error. Where a provider documents how its callbacks are signed (callbacks.signature), the mock
   * signs each delivery with it; without it, or where nothing is documented, callbacks go unsigned.
   */
  callbackSecret?: string;
  /**
   * the account's webhook secret before its last rotation: where a provider documents that both are sent for a while
   * after a rotation (callbacks.signature.rotation), each delivery carries a second value signed with it, for that
   * long from the mock's start
   */
  callbackPreviousSecret?: string;
  /** multiplies each documented wait before a redelivery (0.001: 24 h becomes 86.4 s); default 1 */
  callbackRetryScale?: number;
  /** events whose delivery is not over, at most (past it the oldest one's later attempts are given up; default 1000) */
  maxPendingCallbacks?: number;
  /** request bodies larger than this get 413 (default 1 MiB) */
  bodyLimitBytes?: number;
  /** remember at most this many requests for /__mock/requests (oldest dropped first; default 10,000) */
  requestLogLimit?: number;
  /** keep at most this many tasks; past it the task that ended first (else the oldest) is evicted (default 50,000) */
  maxTasks?: number;
  /** the origin result links point at (default: the address the mock is bound to; never the Host header) */
  publicBaseUrl?: string;
  /** record every exchange as HAR (GET /__mock/har; with `file`, journalled to disk and assembled on close) */
  record?: { file?: string; maxEntries?: number; maxBytes?: number };
  /** faults injected per client (API key or x-client-id) into requests that carry no x-mock-scenario header */
  faults?: FaultPlan | ((spec: ProviderSpec) => FaultPlan);
}

export const MOCK_DEFAULTS = { completeAfterPolls: 3, bodyLimitBytes: 1024 * 1024, requestLogLimit: 10_000 } as const;
