import { REGISTRY } from '../checks/registry.ts';

/**
 * Which check families each conformance suite file runs (from the registry): the unit vitest's sharding splits
 * (`run --shard i/n`), so a shard's plan is the families of the files it was given.
 */
export const SUITE_FAMILIES: Record<string, string[]> = Object.fromEntries(
  [...new Set(REGISTRY.map((f) => f.suite))]
    .sort()
    .map((suite) => [suite, REGISTRY.filter((f) => f.suite === suite).map((f) => f.family)]),
);

/** by file name, .ts (from source) or .js (from the build) */
export const familiesOfSuite = (moduleId: string): string[] =>
  SUITE_FAMILIES[
    moduleId
      .split('/')
      .at(-1)!
      .replace(/\.[cm]?[jt]s$/, '')
  ] ?? [];

/**
 * The suite files that run any of these families, as vitest file filters: a run of one family starts one suite file
 * (one worker) instead of four that would each find nothing to do.
 */
export const suiteFilesFor = (families: Iterable<string>): string[] => {
  const wanted = new Set(families);
  return Object.entries(SUITE_FAMILIES)
    .filter(([, runs]) => runs.some((family) => wanted.has(family)))
    .map(([file]) => file);
};

/**
 * The suite files shard `i/n` runs: the files in name order, cut into n runs of near-equal length (the first ones
 * one longer). The run hands vitest these files itself (no vitest sharding), so tonight's plan knows before the run
 * which risky creates and paid picks the shard sends.
 */
export function shardSuiteFiles(shard: string): string[] {
  const [i, n] = shard.split('/').map(Number) as [number, number];
  const files = Object.keys(SUITE_FAMILIES);
  const size = Math.floor(files.length / n);
  const longer = files.length % n;
  const start = (i - 1) * size + Math.min(i - 1, longer);
  return files.slice(start, start + size + (i <= longer ? 1 : 0));
}

/** The check families shard `i/n` runs. */
export const shardFamilies = (shard: string): Set<string> =>
  new Set(shardSuiteFiles(shard).flatMap((file) => SUITE_FAMILIES[file]!));
