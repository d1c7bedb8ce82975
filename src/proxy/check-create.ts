import { errorResponse } from '../mock/error-response.ts';
import { parseJsonBody } from '../mock/read-body.ts';
import { rejectionStatus } from '../spec/operations.ts';
import { rejectionMessage } from '../validate/describe-errors.ts';
import type { OpenExchange } from './open-exchanges.ts';
import type { Answer } from './proxy-answers.ts';
import type { ProxyContext } from './proxy-context.ts';

/** What the proxy knows of a create body before it forwards it: its JSON, and whether the documents accept it. */
export interface CheckedCreate {
  /** the body as a JSON object, where it is one */
  json?: Record<string, unknown>;
  /**
   * the documented schema accepts the body and it came as application/json: a gateway that refuses it refuses what
   * its documents accept (the proxy vouches for nothing else)
   */
  valid: boolean;
  /** why the documents refuse it: the status the mock answers and its message (the mock's words), where they do */
  refusal?: { status: number; message: string };
}

const JSON_TYPE = /^application\/json\b/i;

/** A create body against the documented request schema, as the mock judges it (same status, same words). */
export function checkCreate(ctx: ProxyContext, x: Pick<OpenExchange, 'req'>, body: Uint8Array): CheckedCreate {
  const read = parseJsonBody(body);
  if (!read.ok)
    return { valid: false, refusal: { status: rejectionStatus(ctx.options.spec, []), message: read.message } };
  const problems = ctx.validators.request(read.body).errors;
  if (problems.length === 0)
    return { json: read.body, valid: JSON_TYPE.test(String(x.req.headers['content-type'] ?? '')) };
  return {
    json: read.body,
    valid: false,
    refusal: { status: rejectionStatus(ctx.options.spec, problems), message: rejectionMessage(problems) },
  };
}

/**
 * An invalid create body, answered here as the mock answers it: the documented error envelope of the refusal's
 * status, the mock's message. The gateway never sees it, so never bills it.
 */
export function rejectLocally(ctx: ProxyContext, refusal: NonNullable<CheckedCreate['refusal']>): Answer | undefined {
  const local = errorResponse(ctx.options.spec, refusal.status, refusal.message, { claims: 'mock' });
  if (local.kind !== 'answer') return undefined;
  ctx.counts.rejectedLocally += 1;
  return {
    status: local.status,
    headers: { ...local.headers, 'x-kc-proxy': 'rejected locally: not forwarded' },
    body: typeof local.body === 'string' ? Buffer.from(local.body) : local.body,
    note: { operation: 'create', step: 'rejected-locally' },
  };
}
