/**
 * Which check families each conformance suite file runs: the unit vitest's sharding splits (`run --shard i/n`), so
 * a shard's plan is the families of the files it was given.
 */
export const SUITE_FAMILIES: Record<string, string[]> = {
  'boundary.suite.ts': ['boundary'],
  'requests.suite.ts': ['reject', 'auth'],
  'retry.suite.ts': ['retry'],
  'task.suite.ts': ['defaults', 'shape', 'lifecycle', 'availability'],
};

export const familiesOfSuite = (moduleId: string): string[] => SUITE_FAMILIES[moduleId.split('/').at(-1)!] ?? [];
