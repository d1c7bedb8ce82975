import type { ProviderSpec } from '../spec/model.ts';
import { authChecks } from './definitions/auth.ts';
import { boundaryChecks } from './definitions/boundary.ts';
import { availabilityChecks } from './definitions/availability.ts';
import { defaultsChecks } from './definitions/defaults.ts';
import { lifecycleChecks } from './definitions/lifecycle.ts';
import { rejectionCheckTemplates, rejectionChecks } from './definitions/rejections.ts';
import { retryChecks } from './definitions/retry.ts';
import { shapeCheckTemplates, shapeChecks } from './definitions/shapes.ts';
import { taskIdentityChecks } from './definitions/task-identity.ts';
import { explicitSettingsCheck } from './definitions/explicit-settings.ts';
import type { CheckDefinition } from './types.ts';

/**
 * Every check, by family. Which apply to a provider is read from its spec (documented enums, limits, statuses,
 * errors); a check that does not apply says why in its skip reason.
 */
export function checksFor(spec: ProviderSpec): CheckDefinition[] {
  return [
    ...defaultsChecks,
    explicitSettingsCheck,
    ...rejectionChecks(spec),
    ...authChecks,
    ...shapeChecks(spec),
    ...lifecycleChecks,
    ...taskIdentityChecks,
    ...retryChecks,
    ...availabilityChecks,
    ...boundaryChecks(spec),
  ] as CheckDefinition[];
}

export const FAMILIES = [
  'defaults',
  'reject',
  'auth',
  'shape',
  'lifecycle',
  'retry',
  'availability',
  'boundary',
] as const;

/** The registry as documentation: ids (with <placeholders> for per-provider expansions), titles, cost, target. */
export function checkCatalogue(): { id: string; family: string; title: string; cost: string; target: string }[] {
  const fixed = [
    ...defaultsChecks,
    explicitSettingsCheck,
    ...authChecks,
    ...lifecycleChecks,
    ...taskIdentityChecks,
    ...retryChecks,
    ...availabilityChecks,
  ].map((c) => ({ id: c.id, family: c.family, title: c.title, cost: c.cost, target: c.target }));
  const templated = [
    ...rejectionCheckTemplates.map((t) => ({ ...t, family: 'reject', cost: 'free', target: 'any' })),
    ...shapeCheckTemplates.map((t) => ({
      ...t,
      family: 'shape',
      cost: t.id === 'shape.error.<status>' ? 'free' : 'paid',
      target: 'any',
    })),
    {
      id: 'boundary.<rule>',
      family: 'boundary',
      title:
        'generated cases of one rule (maxLength+1, enum.near-miss, type.null, ' +
        'conditional.then, …) get their labelled outcome; accepted cases are ' +
        'billable live',
      cost: 'free',
      target: 'any',
    },
  ];
  return [...fixed, ...templated].sort(
    (a, b) => FAMILIES.indexOf(a.family as never) - FAMILIES.indexOf(b.family as never) || a.id.localeCompare(b.id),
  );
}
