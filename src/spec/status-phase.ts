import type { ProviderSpec } from './model.ts';
import { firstString } from './envelope.ts';

export type Phase = 'initial' | 'running' | 'succeeded' | 'failed';

/** The phase a status word stands for in this provider's documents, or undefined for an undocumented word. */
export function phaseOf(spec: ProviderSpec, word: string | undefined): Phase | undefined {
  const lc = spec.x.lifecycle;
  if (word === undefined) return undefined;
  if (word === lc.succeeded) return 'succeeded';
  if (lc.failed !== undefined && word === lc.failed) return 'failed';
  if (word === lc.running) return 'running';
  if (word === lc.initial) return 'initial';
  const extra = lc.extraStatuses?.find((c) => c.value === word);
  return extra ? (extra.phase ?? 'initial') : undefined;
}

/** The status word a create or poll body carries, at the documented pointer or a documented fallback. */
export function statusWordOf(
  spec: ProviderSpec,
  body: unknown,
  operation: 'create' | 'poll' = 'poll',
): string | undefined {
  const lc = spec.x.lifecycle;
  return firstString(body, [
    operation === 'create' ? (lc.createStatusPointer ?? lc.statusPointer) : lc.statusPointer,
    ...(lc.statusFallbackPointers ?? []),
  ]);
}

export const isTerminal = (spec: ProviderSpec, word: string | undefined) =>
  ['succeeded', 'failed'].includes(phaseOf(spec, word) ?? '');
