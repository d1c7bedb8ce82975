import { join } from 'node:path';
import { materializeBrokenSpecs, readBrokenSpecFixtures } from '../../test/support/spec-patch.ts';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import { listSpecIds, loadAllSpecs, loadSpec } from './load-spec.ts';
import { describeSource, isContested, mockClaim, otherClaim } from './claims.ts';

const SEED_PROVIDERS = [
  'aimanyi-kling-3.0-turbo',
  'apiinone-kling-3',
  'evolink-kling-v3-t2v',
  'toapis-kling-3.0-turbo',
  'toapis-kling-v3-fast',
];

describe('loading the shipped specs', () => {
  it('finds the providers of the seed documents among the shipped folders, in order', () => {
    expect(listSpecIds()).toEqual(expect.arrayContaining(SEED_PROVIDERS));
    expect(listSpecIds()).toEqual([...listSpecIds()].sort());
  });

  it('loads and validates every spec into one model with resolved operations', async () => {
    const specs = await loadAllSpecs();
    for (const spec of specs) {
      expect(spec.create.method).toBe('POST');
      expect(spec.poll.method).toBe('GET');
      expect(spec.create.requestSchema).toBeTypeOf('object');
      // every lifecycle status points at a schema that resolved (no $ref left)
      expect(JSON.stringify(spec.create.requestSchema)).not.toContain('$ref');
    }
  });

  it('keeps every competing ToAPIs claim with its source instead of picking one', async () => {
    const spec = (await loadAllSpecs()).find((s) => s.id === 'toapis-kling-3.0-turbo')!;
    const duration = spec.x.settings.duration.default;
    expect(isContested(duration)).toBe(true);
    expect(mockClaim(duration).value).toBe(5);
    expect(otherClaim(duration).value).toBe(6);
    expect(describeSource(spec.x, otherClaim(duration).source)).toMatch(/5a6a22526788a8ad\.txt — 关键参数 table/);
    const range = spec.x.alternatives!.find((a) => a.id === 'range.duration')!;
    expect(range.claims.map((c) => c.value)).toEqual([
      { type: 'integer', minimum: 3, maximum: 15 },
      { type: 'integer', enum: [6, 10] },
      { type: 'integer', minimum: 5, maximum: 15 },
    ]);
  });

  it('marks the placeholder model as not available, with the body it answers', async () => {
    const spec = (await loadAllSpecs()).find((s) => s.id === 'toapis-kling-v3-fast')!;
    expect(spec.x.availability.state).toBe('not_available');
    expect(spec.x.availability.response?.inferred).toBe(true);
  });

  it('gives every fact in every spec a source that names a declared document', async () => {
    for (const spec of await loadAllSpecs()) {
      const text = JSON.stringify(spec.raw);
      const refs = [...text.matchAll(/"ref":"([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(10);
      for (const ref of refs) expect(Object.keys(spec.x.sources)).toContain(ref);
      // every request property documents where it came from (x-source on it, or on the exported schema as a whole)
      const props = (spec.create.requestSchema as { properties: Record<string, Record<string, unknown>> }).properties;
      const wholeSchemaSourced = 'x-source' in (spec.create.requestSchema as object);
      for (const [name, prop] of Object.entries(props))
        expect(wholeSchemaSourced || 'x-source' in prop, `${spec.id} ${name}`).toBe(true);
    }
  });
});

describe('broken specs give an error a person can act on', () => {
  // each fixture is a shipped spec plus a patch (fixtures/broken-specs/<name>.json), written out here
  const fixtures = readBrokenSpecFixtures();
  const root = materializeBrokenSpecs(fixtures);
  it('has several broken-spec fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(6));

  for (const { name, expected } of fixtures) {
    it(`${name}: names the file, the JSON pointer and the fix`, async () => {
      const error = await loadSpec(join(root, name)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HarnessError);
      const he = error as HarnessError;
      expect(he.code).toBe(expected.code);
      expect(he.file).toContain(`${name}/openapi.yaml`);
      if (expected.pointer !== undefined) expect(he.pointer).toBe(expected.pointer);
      expect(he.message).toContain(expected.message);
      expect(he.fix).toBeTruthy();
      expect(he.format()).toMatch(/line \d+/);
    });
  }
});
