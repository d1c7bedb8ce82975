import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../checks/registry.ts';
import { SUITE_FAMILIES, suiteFilesFor } from './suite-families.ts';

describe('suite files and check families', () => {
  it('every family runs in exactly one suite file, and every suite file exists', () => {
    for (const family of FAMILIES)
      expect([family, Object.values(SUITE_FAMILIES).filter((f) => f.includes(family)).length]).toEqual([family, 1]);
    expect(Object.keys(SUITE_FAMILIES).map((f) => `${f}.ts`)).toEqual(
      readdirSync('suites').filter((f) => f.endsWith('.suite.ts')),
    );
  });

  it('a run starts only the suite files of its families', () => {
    expect(suiteFilesFor(['auth'])).toEqual(['requests.suite']);
    expect(suiteFilesFor(['auth', 'defaults', 'shape'])).toEqual(['requests.suite', 'task.suite']);
    expect(suiteFilesFor(FAMILIES)).toEqual(Object.keys(SUITE_FAMILIES));
  });
});
