import picomatch from 'picomatch';

/** Which checks a run judges: families, and check-id globs to keep or leave out (Schemathesis' --checks). */
export interface CheckSelection {
  families?: string[];
  /** globs on check ids, e.g. `auth.*`, `retry.429.*`; a check must match one */
  checks?: string[];
  /** globs on check ids a run leaves out, e.g. `boundary.*` */
  excludeChecks?: string[];
}

/**
 * A check-id glob as picomatch reads it: `*` any run of characters (check ids have no `/`, so dots included), `?` one,
 * `{a,b}` either, `[45]*` a class; a glob's own dots are literal.
 */
export function globToRegExp(glob: string): RegExp {
  return picomatch.makeRe(glob, { dot: true });
}

export function isSelected(selection: CheckSelection | undefined, check: { id: string; family: string }): boolean {
  if (!selection) return true;
  if (selection.families && !selection.families.includes(check.family)) return false;
  if (selection.checks?.length && !selection.checks.some((g) => globToRegExp(g).test(check.id))) return false;
  return !selection.excludeChecks?.some((g) => globToRegExp(g).test(check.id));
}
