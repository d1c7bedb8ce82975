import type { ExchangeNote } from '../har/har-types.ts';
import { errorResponse } from '../mock/error-response.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { invalidRequestStatus } from '../spec/operations.ts';
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
  return proxyError(spec, x, 503, STOPPING_CODE, message, step, '');
}

/**
 * An error the proxy answers itself (the gateway never answered it), in the provider's documented error envelope:
 * the status's own body, else (a 4xx the documents do not list, e.g. 413) the invalid request's, else 500's; `code`
 * is the proxy's, the message names the proxy (after `prefix`). The record's comment says why.
 */
export function proxyError(
  spec: ProviderSpec,
  x: Pick<OpenExchange, 'operation'>,
  status: number,
  code: string,
  message: string,
  step: string,
  prefix = 'kling-conformance proxy: ',
): Answer {
  const like = spec.x.errors[String(status)] || status >= 500 ? status : invalidRequestStatus(spec);
  const local = errorResponse(spec, status, `${prefix}${message}`, { claims: 'mock', code, like });
  const body = local.kind === 'answer' ? local.body : '';
  return {
    status,
    headers: {
      ...(local.kind === 'answer' ? local.headers : { 'content-type': 'application/json' }),
      'x-kc-proxy': `${step}: answered by the proxy`,
    },
    body: typeof body === 'string' ? Buffer.from(body) : body,
    note: { operation: x.operation, step },
    comment: message,
  };
}
