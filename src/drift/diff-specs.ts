import type { ProviderSpec } from '../spec/model.ts';
import { DIFF_RULES, type Severity, type SpecChange } from './diff-rules.ts';

export interface SpecDiff {
  old: string;
  new: string;
  changes: SpecChange[];
  counts: Record<Severity, number>;
}

const ORDER: Severity[] = ['ERR', 'WARN', 'INFO'];

/** Part 1: every change between two versions of a provider's spec, by rule, most severe first. */
export function diffSpecs(a: ProviderSpec, b: ProviderSpec, labels: { old: string; new: string }): SpecDiff {
  const changes = DIFF_RULES.flatMap((rule) =>
    rule.detect(a, b).map((c) => ({ rule: rule.id, severity: rule.severity, ...c })),
  ).sort((x, y) => ORDER.indexOf(x.severity) - ORDER.indexOf(y.severity));
  const counts = { ERR: 0, WARN: 0, INFO: 0 };
  for (const c of changes) counts[c.severity] += 1;
  return { old: labels.old, new: labels.new, changes, counts };
}

/** Exit 1 when anything reaches the --fail-on level. */
export function reachesLevel(diff: { changes: { severity: Severity }[] }, failOn: Severity): boolean {
  return diff.changes.some((c) => ORDER.indexOf(c.severity) <= ORDER.indexOf(failOn));
}
