import type { ResolvedSettings } from '../spec/resolve-settings.ts';

/** One generated request, labelled from the spec with the outcome the provider documents. */
export interface BoundaryCase {
  /** stable within a seed: "<field>.<rule>[.<variant>]" */
  id: string;
  /** the constraint kind it exercises: maxLength, minimum, enum, const, required, type, anyOf, … */
  rule: string;
  /** body pointer of the constrained field ('' for the whole body) */
  field: string;
  /** how the case was made, for a person: "3073 × '猫' (code points)" */
  note: string;
  body: Record<string, unknown>;
  expect: { outcome: 'accept' | 'reject'; status?: number; resolved?: ResolvedSettings['values']; prompt?: string };
}

/** A constraint found in the request schema: what a case must cover. */
export interface Constraint {
  /** body pointer of the field ('' = root) */
  field: string;
  keyword: string;
  schema: Record<string, unknown>;
}
