import { randomUUID } from 'node:crypto';
import { UNPRICED, type SpendLedger } from '../core/spend-ledger.ts';
import { envelopeFailure } from '../spec/envelope.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { isSuccess, taskOperation } from '../spec/operations.ts';
import { estimatePrice, maxTaskPrice } from '../spec/price.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import type { Exchange } from './exchange.ts';

/** The documented price a create holds in the spend ledger until its answer says whether a task was made. */
export interface SpendHold {
  id: string;
  amount: number;
  currency: string;
}

/**
 * Which create of tonight's plan a create is: its trace header's probe or case name ("reject.prompt_missing",
 * "case:%2Faspect_ratio.enum"), the same in the dry run and the run (the run id and provider before it dropped).
 */
export function spendKeyOf(providerId: string, headers: Record<string, string> | undefined): string | undefined {
  const trace = headers?.['x-mock-scenario-id'];
  const at = trace?.indexOf(`:${providerId}:`) ?? -1;
  return at >= 0 ? trace!.slice(at + providerId.length + 2) : undefined;
}

/**
 * Holds the documented price of this create (the dearest task for a body the documents forbid); a provider with no
 * published price holds 0, marked unpriced, so its tasks are still counted.
 */
export async function reserveCreate(
  spec: ProviderSpec,
  ledger: SpendLedger,
  body: unknown,
  spendAs: string | undefined,
  key?: string,
): Promise<SpendHold | { refused: string }> {
  // a forbidden body is priced by its resolved settings where the documents price them, else the dearest task
  const valid = compileValidators(spec).request(body).valid;
  const estimate = estimatePrice(spec, resolveSettings(spec, body));
  const price = valid || Number.isFinite(estimate.amount) ? estimate : maxTaskPrice(spec);
  const unpriced = price.amount === undefined || !price.currency;
  const hold = { id: randomUUID(), amount: price.amount ?? 0, currency: price.currency ?? UNPRICED };
  const r = await ledger.reserve({
    ...hold,
    provider: spec.id,
    purpose: spendAs ?? (valid ? 'paid' : 'risky'),
    ...(unpriced ? { unpriced: true } : {}),
    ...(key ? { key } : {}),
  });
  return r.ok ? hold : { refused: `not sent: ${r.why}` };
}

/** What settling a create needs from the client: the task id in an answer, and the documented cancel. */
export interface SettleOps {
  taskIdOf(exchange: Exchange): string | undefined;
  cancel(taskId: string): Promise<Exchange>;
}

/**
 * A create the gateway answered with a success status is a task, counted whatever sent it (kept; for a forbidden
 * body, cancelled where documented); no answer at all: the hold stays (it may have been made); else released.
 */
export async function settleCreate(
  spec: ProviderSpec,
  ledger: SpendLedger,
  hold: SpendHold,
  body: unknown,
  exchange: Exchange,
  ops: SettleOps,
): Promise<void> {
  const provider = spec.id;
  const made = isSuccess(spec, 'create', exchange.status) && !envelopeFailure(spec, exchange.status, exchange.body);
  if (!made && exchange.status === undefined) return ledger.append({ kind: 'unanswered', id: hold.id, provider });
  if (!made)
    return ledger.append({ kind: 'release', id: hold.id, provider, amount: hold.amount, currency: hold.currency });
  const taskId = ops.taskIdOf(exchange) ?? '(no task id in the answer)';
  const mistaken = !compileValidators(spec).request(body).valid;
  ledger.append({
    kind: 'task',
    id: hold.id,
    provider,
    taskId,
    amount: hold.amount,
    currency: hold.currency,
    mistaken,
  });
  if (mistaken && taskOperation(spec, 'cancel') && ops.taskIdOf(exchange)) {
    const cancel = await ops.cancel(taskId);
    exchange.cancelled = { status: cancel.status, error: cancel.error?.message };
    ledger.append({
      kind: 'cancel',
      id: hold.id,
      provider,
      taskId,
      status: cancel.status,
      error: cancel.error?.message,
    });
  }
}
