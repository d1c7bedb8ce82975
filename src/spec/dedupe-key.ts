import type { ProviderSpec } from './model.ts';

/**
 * The request field that makes a repeated create return the same task, when the documents say so. The JSON-Schema
 * gateway's external_task_id is documented for idempotent *lookup* and reconciliation only (`dedupe: false`):
 * retrying a create with it may still make a second task.
 */
export function dedupeKey(spec: ProviderSpec): string | undefined {
  const idem = spec.x.idempotency;
  return idem && idem.dedupe !== false ? idem.field : undefined;
}
