// Validators loaded from the cache (ajv standalone code) judge exactly as freshly compiled ones: every boundary case
// of every provider (every third), valid and invalid, gets the same verdict and diagnostics — cold, then warm.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCases } from '../cases/generate-cases.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import { withClaims } from '../spec/build-model.ts';
import { compileValidators } from './compile-validators.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';

describe('the validator cache', () => {
  const cwd = process.cwd();
  afterAll(() => process.chdir(cwd));

  it('gives the verdicts and diagnostics of a fresh compile, from a cold and a warm cache', async () => {
    const specs = await loadAllSpecs();
    // every provider, its boundary cases thinned to every third (the verdicts of all kinds of case stay in)
    const cases = specs.map((spec) => ({
      spec,
      bodies: generateCases(spec, { seed: 3 })
        .filter((_, i) => i % 3 === 0)
        .map((c) => c.body),
    }));
    process.env.KLING_CONFORMANCE_NO_CACHE = '1';
    // one compile per spec and phase (a spec model made afresh: the validators are never taken from memory), applied
    // to every body: the fresh compile, then the validator the cold cache gives, then the one the warm cache gives
    const judge = () =>
      cases.map(({ spec, bodies }) => {
        const { request } = compileValidators(withClaims(spec, 'mock'));
        return bodies.map((b) => request(b));
      });
    const fresh = judge();
    delete process.env.KLING_CONFORMANCE_NO_CACHE;
    const project = tempFolder('kc-validator-cache-');
    mkdirSync(join(project, 'node_modules'));
    process.chdir(project);
    for (const round of ['cold', 'warm']) {
      expect(judge(), round).toEqual(fresh);
    }
    const entries = readdirSync(join(project, 'node_modules/.cache/kling-conformance/validators'));
    expect(entries.length).toBeGreaterThanOrEqual(specs.length);
    expect(existsSync(join(project, 'node_modules/.cache/kling-conformance/validators', entries[0]!))).toBe(true);
    expect(fresh.flat().some((r) => !r.valid)).toBe(true);
  }, 60_000);
});
