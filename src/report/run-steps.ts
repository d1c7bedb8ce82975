import type { CheckStatus } from '../checks/types.ts';
import { isBad, type HistoryLine } from './history-line.ts';

/** What changed from one run to the next run against the same target: the list a dashboard reader scans. */
export interface RunStep {
  id: string;
  startedAt: string;
  target: string;
  previous: { id: string; startedAt: string };
  /** "<provider> <check>" judged bad now, good (or absent) when last judged */
  newlyFailing: string[];
  /** judged bad when last judged, passing now */
  fixed: string[];
  /** met 429/5xx/timeouts/resets and passed on a documented retry */
  flakes: string[];
  /** met them and could not be judged: not a contract change, so not in newlyFailing */
  unjudged: string[];
  /** a provider's documented default-task price differs from the previous run's */
  priceChanges: { provider: string; from: number; to: number; currency: string }[];
}

/**
 * Steps between consecutive runs of each target, oldest first. A check is compared with the last run that judged
 * it: a run that could not judge it (transient) neither fails nor fixes it.
 */
export function runSteps(runs: HistoryLine[]): RunStep[] {
  const previousOf = new Map<string, HistoryLine>();
  const judged = new Map<string, Map<string, CheckStatus>>();
  const prices = new Map<string, Map<string, { amount: number; currency: string }>>();
  const steps: RunStep[] = [];
  for (const run of runs) {
    if (!run.checks) continue;
    const last = judged.get(run.target) ?? judged.set(run.target, new Map()).get(run.target)!;
    const lastPrices = prices.get(run.target) ?? prices.set(run.target, new Map()).get(run.target)!;
    const previous = previousOf.get(run.target);
    const step: RunStep = {
      id: run.id,
      startedAt: run.startedAt,
      target: run.target,
      previous: previous ? { id: previous.id, startedAt: previous.startedAt } : { id: '', startedAt: '' },
      newlyFailing: [],
      fixed: [],
      flakes: [],
      unjudged: [],
      priceChanges: [],
    };
    for (const [key, c] of Object.entries(run.checks)) {
      if (c.transient === 'unjudged') {
        step.unjudged.push(key);
        continue;
      }
      if (c.transient === 'flake') step.flakes.push(key);
      const was = last.get(key);
      if (previous && isBad(c.status) && (was === undefined || !isBad(was))) step.newlyFailing.push(key);
      if (previous && c.status === 'pass' && was !== undefined && isBad(was)) step.fixed.push(key);
      last.set(key, c.status);
    }
    for (const [provider, price] of Object.entries(run.prices ?? {})) {
      const was = lastPrices.get(provider);
      if (was && (was.amount !== price.amount || was.currency !== price.currency))
        step.priceChanges.push({ provider, from: was.amount, to: price.amount, currency: price.currency });
      lastPrices.set(provider, price);
    }
    if (previous) steps.push(step);
    previousOf.set(run.target, run);
  }
  return steps;
}

/** A step worth listing: something changed or was transient. */
export const hasChanges = (s: RunStep): boolean =>
  s.newlyFailing.length + s.fixed.length + s.flakes.length + s.unjudged.length + s.priceChanges.length > 0;
