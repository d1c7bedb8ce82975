import type { ExchangeNote } from '../har/har-types.ts';
import { errorResponse } from '../mock/error-response.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { OpenExchange } from './open-exchanges.ts';

/** What the proxy answers a request with, and what its record says of it (`comment`: why the proxy answered). */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  note: ExchangeNote;
  comment?: string;
}

/** The error code of every answer the proxy makes itself because it is stopping. */
export const STOPPING_CODE = 'proxy_stopping';

/**
 * The proxy's own 503 for a request it answers because it is stopping, in the provider's documented error shape
 * (500's where no 503 is documented) with the code `proxy_stopping`, its message naming the proxy and saying whether
 * the gateway may have acted on the request. `step` says when: `cut-at-stop` (in flight past the drain) or
 * `refused-at-stop` (arrived while draining).
 */
export function stoppingAnswer(
  spec: ProviderSpec,
  x: OpenExchange,
  why: string,
  step: 'cut-at-stop' | 'refused-at-stop',
): Answer {
  const fate = x.forwarded
    ? 'before the upstream answered: the request was forwarded, so the gateway may have acted on it ' +
      '(a create may have made a task)'
    : 'before the request was forwarded: the gateway never saw it';
  const message =
    step === 'refused-at-stop'
      ? 'kling-conformance proxy is stopping and forwards no new request: the gateway never saw this one'
      : `kling-conformance proxy stopped (${why}) ${fate}`;
  const local = errorResponse(spec, 503, message, { claims: 'mock', code: STOPPING_CODE });
  const body = local.kind === 'answer' ? local.body : '';
  return {
    status: 503,
    headers: {
      ...(local.kind === 'answer' ? local.headers : { 'content-type': 'application/json' }),
      'x-kc-proxy': `${step}: answered by the proxy`,
    },
    body: typeof body === 'string' ? Buffer.from(body) : body,
    note: { operation: x.operation, step },
    comment: message,
  };
}

/** A JSON error the proxy answers itself (not the provider's: the gateway never answered it), its record's comment. */
export function proxyError(x: OpenExchange, status: number, code: string, message: string, step: string): Answer {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-kc-proxy': `${step}: answered by the proxy` },
    body: Buffer.from(JSON.stringify({ error: { code, message: `kling-conformance proxy: ${message}` } })),
    note: { operation: x.operation, step },
    comment: message,
  };
}
