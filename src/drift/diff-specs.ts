import type { ProviderSpec } from '../spec/model.ts';
import { DIFF_RULES, type Severity, type SpecChange } from './diff-rules.ts';
import { changedParts } from './changed-parts.ts';

export interface SpecDiff {
  old: string;
  new: string;
  changes: SpecChange[];
  counts: Record<Severity, number>;
}

const ORDER: Severity[] = ['ERR', 'WARN', 'INFO'];

/** Part 1: every change between two versions of a provider's spec, by rule, most severe first. */
export function diffSpecs(a: ProviderSpec, b: ProviderSpec, labels: { old: string; new: string }): SpecDiff {
  const found = DIFF_RULES.flatMap((rule) =>
    rule.detect(a, b).map((c) => ({ rule: rule.id, severity: rule.severity, ...c })),
  );
  const changes = (found.length ? found : unruledChanges(a, b)).sort(
    (x, y) => ORDER.indexOf(x.severity) - ORDER.indexOf(y.severity),
  );
  const counts = { ERR: 0, WARN: 0, INFO: 0 };
  for (const c of changes) counts[c.severity] += 1;
  return { old: labels.old, new: labels.new, changes, counts };
}

/** Rows shown of a change no rule compares (then one row says how many more the JSON pointers would list). */
const UNRULED_SHOWN = 20;

/**
 * The document changed, but in nothing a rule compares (a statement's wording, an example): each changed value with
 * its pointer, before and after, so "No changes." is never said of two different documents.
 */
function unruledChanges(a: ProviderSpec, b: ProviderSpec): SpecChange[] {
  const parts = changedParts(a.raw, b.raw, () => undefined, true);
  const rows: SpecChange[] = parts.slice(0, UNRULED_SHOWN).map((p) => ({
    rule: 'other-changed',
    severity: 'INFO',
    ...p,
    message: `${p.message} — the document changed, but no fact a diff rule compares did`,
  }));
  if (parts.length > UNRULED_SHOWN)
    rows.push({
      rule: 'other-changed',
      severity: 'INFO',
      pointer: '',
      message: `and ${parts.length - UNRULED_SHOWN} more changed value(s) no diff rule compares`,
    });
  return rows;
}

/** Exit 1 when anything reaches the --fail-on level. */
export function reachesLevel(diff: { changes: { severity: Severity }[] }, failOn: Severity): boolean {
  return diff.changes.some((c) => ORDER.indexOf(c.severity) <= ORDER.indexOf(failOn));
}
