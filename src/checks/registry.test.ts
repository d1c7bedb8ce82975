import { describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../spec/load-spec.ts';
import { planRun } from '../run/plan-run.ts';
import { SUITE_FAMILIES, suiteFilesFor } from '../run/suite-families.ts';
import { renderDocs } from '../docs/render-docs.ts';
import { availabilityChecks } from './definitions/availability.ts';
import { FAMILIES, REGISTRY, checkCatalogue, checksFor } from './registry.ts';
import type { CheckDefinition } from './types.ts';

const template = (id: string) => new RegExp(`^${id.replace(/\./g, '\\.').replace(/<[^>]+>/g, '.+')}$`);

describe('the check registry', () => {
  it('every check of every provider is in a family, in the catalogue, and costs free, paid or risky', async () => {
    const catalogue = checkCatalogue();
    for (const spec of await loadAllSpecs())
      for (const check of checksFor(spec)) {
        expect(FAMILIES, check.id).toContain(check.family);
        expect(['free', 'paid', 'risky'], check.id).toContain(check.cost);
        expect(
          catalogue.some((row) => row.family === check.family && template(row.id).test(check.id)),
          `${check.id} is in docs/checks.md`,
        ).toBe(true);
      }
  });

  it('every check that applies to a provider declares how to break it (or why it never fails)', async () => {
    for (const spec of await loadAllSpecs())
      for (const check of checksFor(spec)) {
        if (check.notApplicable?.(spec) || check.neverFails?.(spec)) continue;
        expect(check.breakers?.(spec).length ?? 0, `check ${check.id} declares no way to break it`).toBeGreaterThan(0);
      }
  });

  it('families and suite files derive from the one list', () => {
    expect(FAMILIES).toEqual(REGISTRY.map((f) => f.family));
    for (const f of REGISTRY) expect(SUITE_FAMILIES[f.suite], f.family).toContain(f.family);
  });

  it(
    'a check added to its family file alone is run, planned, documented, given a suite file and its can-fail ' +
      'proof (the worked example in ARCHITECTURE.md)',
    async () => {
      const [spec] = await loadAllSpecs();
      const added: CheckDefinition = {
        id: 'availability.example_added',
        family: 'availability',
        title: 'an added check',
        cost: 'free',
        target: 'any',
        probe: async () => undefined,
        evaluate: () => ({ status: 'pass', message: 'ok' }),
        breakers: () => [{ gateway: 'placeholder-task' }],
      };
      (availabilityChecks as CheckDefinition[]).push(added);
      try {
        expect(checksFor(spec!).map((c) => c.id)).toContain(added.id);
        expect(checkCatalogue().map((c) => c.id)).toContain(added.id);
        const planned = planRun([spec!], { checks: [added.id] });
        expect(planned.map((p) => p.id)).toEqual([added.id]);
        expect(suiteFilesFor(planned.map((p) => p.family))).toEqual(['task.suite']);
        // docs/checks.md as `npm run gen:docs` writes it
        expect((await renderDocs())['docs/checks.md']).toContain(`\`${added.id}\``);
        // the proof that it can fail (test/checks-can-fail*.test.ts) reads its pair and breakers from the registry
        const proven = checksFor(spec!).find((c) => c.id === added.id);
        expect(proven?.breakers?.(spec!)).toEqual([{ gateway: 'placeholder-task' }]);
      } finally {
        (availabilityChecks as CheckDefinition[]).pop();
      }
    },
  );
});
