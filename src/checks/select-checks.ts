/** Which checks a run judges: families, and check-id globs to keep or leave out (Schemathesis' --checks). */
export interface CheckSelection {
  families?: string[];
  /** globs on check ids, e.g. `auth.*`, `retry.429.*`; a check must match one */
  checks?: string[];
  /** globs on check ids a run leaves out, e.g. `boundary.*` */
  excludeChecks?: string[];
}

/** `*` is any run of characters (dots included), `?` one character; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

export function isSelected(selection: CheckSelection | undefined, check: { id: string; family: string }): boolean {
  if (!selection) return true;
  if (selection.families && !selection.families.includes(check.family)) return false;
  if (selection.checks?.length && !selection.checks.some((g) => globToRegExp(g).test(check.id))) return false;
  return !selection.excludeChecks?.some((g) => globToRegExp(g).test(check.id));
}
