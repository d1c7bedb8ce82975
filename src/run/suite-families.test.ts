import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../checks/registry.ts';
import { SUITE_FAMILIES, shardFamilies, shardSuiteFiles, suiteFilesFor } from './suite-families.ts';

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

  it('the shards of a run split its suite files, each file in exactly one shard, known before the run', () => {
    const files = Object.keys(SUITE_FAMILIES);
    for (let n = 1; n <= files.length; n++) {
      const shards = Array.from({ length: n }, (_, k) => shardSuiteFiles(`${k + 1}/${n}`));
      expect(shards.flat()).toEqual(files);
      for (const s of shards) expect(s.length).toBeGreaterThanOrEqual(Math.floor(files.length / n));
    }
    expect(shardSuiteFiles('1/2')).toEqual(['boundary.suite', 'requests.suite']);
    expect([...shardFamilies('1/2')].sort()).toEqual(['auth', 'boundary', 'reject']);
  });
});
