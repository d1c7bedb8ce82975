import type { ProviderSpec } from '../spec/model.ts';

/** What a proxy is started with: the provider, the upstream it fronts, where it listens, its limits and clock. */
export interface ProxyOptions {
  spec: ProviderSpec;
  upstream: string;
  /** hosts allowed besides the spec's documented server */
  upstreamAllow?: string[];
  port?: number;
  host?: string;
  /** write the traffic as HAR (keys redacted) */
  record?: string;
  /** forward request bodies the documents reject (default: answer them locally with the documented error) */
  forwardInvalid?: boolean;
  /** request bodies past this get 413 (default 1 MiB); answers past `answerLimitBytes` get 502 (default 16 MiB) */
  bodyLimitBytes?: number;
  answerLimitBytes?: number;
  /** the longest wait for the upstream's answer, headers and body (default 60 s; a body still arriving then: 502) */
  timeoutMs?: number;
  /** the longest a client may take to send its request, headers and body (default 60 s; then 408) */
  clientTimeoutMs?: number;
  /** on close, how long requests in flight may take to finish before the proxy answers them itself (default 10 s) */
  drainMs?: number;
  /** stop after answering this many requests */
  maxRequests?: number;
  /** stop after this many upstream failures in a row (unreachable, timed out, reset; default 5) */
  maxUpstreamFailures?: number;
  /** the clock the deadlines above read, in milliseconds (default performance.now; a test's is virtual) */
  now?: () => number;
}

export const PROXY_DEFAULTS = { timeoutMs: 60_000, clientTimeoutMs: 60_000, drainMs: 10_000 } as const;
