import { checksFor } from '../checks/registry.ts';
import { isSelected, type CheckSelection } from '../checks/select-checks.ts';
import type { ProviderSpec } from '../spec/model.ts';

/** One (provider, check) pair a run must report on. */
export interface PlannedCheck {
  provider: string;
  id: string;
  family: string;
  title: string;
  paid: boolean;
}

/**
 * Every (provider, check) pair the run must come back with, computed in the runner's own process before any
 * suite starts. What the suites return is compared with it: a pair that never came back is a harness error.
 */
export function planRun(specs: ProviderSpec[], selection?: CheckSelection): PlannedCheck[] {
  return specs.flatMap((spec) =>
    checksFor(spec)
      .filter((c) => isSelected(selection, c))
      .map((c) => ({ provider: spec.id, id: c.id, family: c.family, title: c.title, paid: c.cost === 'paid' })),
  );
}

export const planKey = (p: { provider: string; id: string }) => `${p.provider} ${p.id}`;
