import type { ProviderSpec } from '../spec/model.ts';
import { authChecks } from './definitions/auth.ts';
import { boundaryChecks } from './definitions/boundary.ts';
import { availabilityChecks } from './definitions/availability.ts';
import { defaultsChecks } from './definitions/defaults.ts';
import { lifecycleChecks } from './definitions/lifecycle.ts';
import { linkRefetchChecks } from './definitions/link-refetch.ts';
import { rejectionCheckTemplates, rejectionChecks } from './definitions/rejections.ts';
import { retryChecks } from './definitions/retry.ts';
import { shapeCheckTemplates, shapeChecks } from './definitions/shapes.ts';
import { taskIdentityChecks } from './definitions/task-identity.ts';
import { explicitSettingsCheck } from './definitions/explicit-settings.ts';
import type { CheckCost, CheckDefinition } from './types.ts';

/** A row of docs/checks.md: a check, or the template of checks that expand per provider (`<placeholder>` ids). */
export interface CatalogueRow {
  id: string;
  family: string;
  title: string;
  cost: CheckCost;
  target: 'any' | 'mock';
}

/** One family of checks: where its checks come from, the suite file that runs them, and how the docs list them. */
export interface CheckFamily {
  family: string;
  /** the conformance suite file (suites/<suite>.ts) whose vitest worker runs this family */
  suite: string;
  /** the family's checks for a provider (read from its spec: documented enums, limits, statuses, errors) */
  checks(spec: ProviderSpec): CheckDefinition[];
  /** docs/checks.md rows: the checks themselves, or their templates where they expand per provider */
  catalogue(): Omit<CatalogueRow, 'family'>[];
}

/** the checks of a definition file that serves more than one family (task identity: auth and lifecycle) */
const familyOf = (checks: CheckDefinition[], family: string) => checks.filter((c) => c.family === family);

const rows = (checks: Pick<CheckDefinition, 'id' | 'title' | 'cost' | 'target'>[]) =>
  checks.map(({ id, title, cost, target }) => ({ id, title, cost, target }));

/**
 * Every family, in run and report order — the one list FAMILIES, the suite files (run/suite-families.ts),
 * `checksFor` and docs/checks.md derive from. A check belongs to its family's definition file; a new family is a
 * new file plus its row here.
 */
export const REGISTRY: CheckFamily[] = [
  {
    family: 'defaults',
    suite: 'task.suite',
    checks: () => [...defaultsChecks, explicitSettingsCheck] as CheckDefinition[],
    catalogue: () => rows([...defaultsChecks, explicitSettingsCheck]),
  },
  {
    family: 'reject',
    suite: 'requests.suite',
    checks: (spec) => rejectionChecks(spec) as CheckDefinition[],
    catalogue: () => rejectionCheckTemplates,
  },
  {
    family: 'auth',
    suite: 'requests.suite',
    checks: () => [...authChecks, ...familyOf(taskIdentityChecks, 'auth')] as CheckDefinition[],
    catalogue: () => rows([...authChecks, ...familyOf(taskIdentityChecks, 'auth')]),
  },
  {
    family: 'shape',
    suite: 'task.suite',
    checks: (spec) => shapeChecks(spec) as CheckDefinition[],
    catalogue: () => shapeCheckTemplates,
  },
  {
    family: 'lifecycle',
    suite: 'task.suite',
    // the link re-fetch last: as late in the run as its family allows
    checks: () =>
      [...lifecycleChecks, ...familyOf(taskIdentityChecks, 'lifecycle'), ...linkRefetchChecks] as CheckDefinition[],
    catalogue: () => rows([...lifecycleChecks, ...familyOf(taskIdentityChecks, 'lifecycle'), ...linkRefetchChecks]),
  },
  {
    family: 'retry',
    suite: 'retry.suite',
    checks: () => retryChecks as CheckDefinition[],
    catalogue: () => rows(retryChecks),
  },
  {
    family: 'availability',
    suite: 'task.suite',
    checks: () => availabilityChecks as CheckDefinition[],
    catalogue: () => rows(availabilityChecks),
  },
  {
    family: 'boundary',
    suite: 'boundary.suite',
    checks: (spec) => boundaryChecks(spec) as CheckDefinition[],
    catalogue: () => [
      {
        id: 'boundary.<rule>',
        title:
          'generated cases of one rule (maxLength+1, enum.near-miss, type.null, ' +
          'conditional.then, …) get their labelled outcome; accepted cases are ' +
          'billable live',
        cost: 'risky',
        target: 'any',
      },
    ],
  },
];

/**
 * Every check, by family. Which apply to a provider is read from its spec (documented enums, limits, statuses,
 * errors); a check that does not apply says why in its skip reason.
 */
export function checksFor(spec: ProviderSpec): CheckDefinition[] {
  return REGISTRY.flatMap((f) => f.checks(spec));
}

export const FAMILIES: readonly string[] = REGISTRY.map((f) => f.family);

/** The registry as documentation: ids (with <placeholders> for per-provider expansions), titles, cost, target. */
export function checkCatalogue(): CatalogueRow[] {
  return REGISTRY.flatMap((f) => f.catalogue().map((row) => ({ ...row, family: f.family }))).sort(
    (a, b) => FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family) || a.id.localeCompare(b.id),
  );
}
