// runConformance is a public export: a program that calls it keeps its own environment. The mocks' fresh keys reach
// the vitest workers through vitest's `env`, never through the caller's process.env.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runConformance } from '../src/index.ts';
import { defaultSpecsDir } from '../src/spec/load-spec.ts';

const dir = mkdtempSync(join(tmpdir(), 'kc-library-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runConformance as a library call', () => {
  it('judges with the mocks’ keys and leaves the caller’s process.env as it was', async () => {
    const before = { ...process.env };
    const results = await runConformance({
      providers: ['evolink-kling-v3-t2v'],
      target: 'mock',
      specsDir: defaultSpecsDir(),
      checks: ['auth.invalid_key', 'auth.missing_key'],
    });
    expect(results.results.map((r) => [r.id, r.status]).sort()).toEqual([
      ['auth.invalid_key', 'pass'],
      ['auth.missing_key', 'pass'],
    ]);
    expect({ ...process.env }).toEqual(before);
  }, 120_000);
});
