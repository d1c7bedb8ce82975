import type { OperationModel, ProviderSpec } from './model.ts';
import type { TaskOperationDecl, TaskOperationName } from './task-model.ts';

/**
 * The task API as the spec declares it: which operations exist, what counts as success for each, where a
 * rejected request's status and the prompt are. Every mechanism asks here instead of assuming HTTP 200 or /prompt.
 */

/** HTTP statuses the documents give for a successful call of an operation (default [200]). */
export function successStatuses(spec: ProviderSpec, operation: 'create' | TaskOperationName): number[] {
  const decl = spec.x.operations[operation];
  return decl?.success ?? [200];
}

export function isSuccess(
  spec: ProviderSpec,
  operation: 'create' | TaskOperationName,
  status: number | undefined,
): boolean {
  return status !== undefined && successStatuses(spec, operation).includes(status);
}

/** A declared task operation (poll, result, cancel) with its OpenAPI model, or undefined where none is documented. */
export function taskOperation(
  spec: ProviderSpec,
  name: TaskOperationName,
): { decl: TaskOperationDecl; model: OperationModel } | undefined {
  const decl = spec.x.operations[name];
  const model = name === 'poll' ? spec.poll : spec.operations[name];
  return decl && model ? { decl, model } : undefined;
}

/** The status a request the documented schema rejects gets (400 unless the spec names another, e.g. fal's 422). */
export function invalidRequestStatus(spec: ProviderSpec): number {
  return spec.x.invalidRequest?.status ?? 400;
}

/** The status for a request that breaks these rules: the first broken rule's own documented status, else the above. */
export function rejectionStatus(spec: ProviderSpec, broken: readonly { rule?: string }[]): number {
  for (const d of broken) {
    const rule = spec.x.rules?.find((r) => r.id === d.rule);
    if (rule?.status) return rule.status;
  }
  return invalidRequestStatus(spec);
}

/** The prompt field and the fields that may carry it instead. */
export function promptFields(spec: ProviderSpec): string[] {
  return [spec.x.prompt.field, ...(spec.x.prompt.alternatives ?? [])];
}

/** Where the result URL is read: the poll body, or the body of a separate result operation. */
export function resultOperation(spec: ProviderSpec): 'poll' | 'result' {
  return spec.x.lifecycle.resultFrom ?? 'poll';
}
