import { readFileSync, statSync } from 'node:fs';
import { HarnessError } from '../core/errors.ts';
import { buildResults, type RunResults } from './build-results.ts';

/** A results.json a run wrote, read back (size-capped) with a clear error when it is not one. */
export function readResults(file: string): RunResults {
  try {
    // a results.json is at most a few MB: never read a runaway file or a device whole
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a regular file');
    if (stat.size > 256 * 1024 * 1024) throw new Error('over 256 MB');
    const text = readFileSync(file, 'utf8');
    const parsed = JSON.parse(text) as RunResults;
    if (!parsed.run || !Array.isArray(parsed.results)) throw new Error('not a results.json (no run / results)');
    return parsed;
  } catch (err) {
    throw new HarnessError('INPUT', `cannot read ${file}: ${(err as Error).message}`, {
      file,
      fix: 'pass the results.json a run wrote into its --report-dir',
    });
  }
}

/**
 * The one result a single run would have given, from the shards of it (`run --shard i/n`): every (provider, check)
 * once, the counts rebuilt, the window from the first start to the last end. Shards of different runs (another
 * target, seed or provider set) or overlapping shards are refused: merging them would invent a run.
 */
export function mergeResults(
  shards: { file: string; results: RunResults }[],
  version: string,
  missingShards: NonNullable<RunResults['run']['missingShards']> = [],
): RunResults {
  if (shards.length === 0)
    throw new HarnessError('USAGE', 'nothing to merge', {
      fix: 'pass the report dirs (or results.json files) of the shards',
    });
  const first = shards[0]!.results.run;
  for (const { file, results } of shards.slice(1)) {
    const r = results.run;
    const differs = (['target', 'seed', 'client', 'allowPaid', 'strict', 'mockClaims', 'shardOf'] as const).find(
      (k) => JSON.stringify(r[k]) !== JSON.stringify(first[k]),
    );
    if (differs)
      throw new HarnessError(
        'INPUT',
        `${file} is a shard of another run: its ${differs} is ` +
          `${JSON.stringify(r[differs])}, not ${JSON.stringify(first[differs])}`,
        { file, pointer: `/run/${differs}`, fix: 'merge the shards of one run (same target, seed, client and flags)' },
      );
  }
  const seen = new Map<string, string>();
  for (const { file, results } of shards) {
    for (const x of results.results) {
      const key = `${x.provider} ${x.id}`;
      if (seen.has(key))
        throw new HarnessError('INPUT', `${key} is in both ${seen.get(key)} and ${file}: shards overlap`, {
          file,
          fix: 'merge the shards of one run, each once',
        });
      seen.set(key, file);
    }
  }
  const runs = shards.map((s) => s.results.run);
  const providers = [...new Map(runs.flatMap((r) => r.providers).map((p) => [p.id, p])).values()].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  const problems = runs.flatMap((r) => r.incomplete?.problems ?? []);
  const missing = runs.reduce((n, r) => n + (r.incomplete?.missing ?? 0), 0);
  const spends = runs.map((r) => r.spend).filter((s) => s !== undefined);
  return buildResults(
    {
      id: `${first.id}-merged`,
      target: first.target,
      providers,
      seed: first.seed,
      startedAt: runs.map((r) => r.startedAt).sort()[0]!,
      endedAt: runs
        .map((r) => r.endedAt)
        .sort()
        .at(-1)!,
      allowPaid: first.allowPaid,
      client: first.client,
      ...(first.mockClaims ? { mockClaims: first.mockClaims } : {}),
      ...(first.strict ? { strict: first.strict } : {}),
      mergedFrom: runs.map((r) => r.id),
      ...(runs.some((r) => r.shard) ? { mergedShards: runs.flatMap((r) => (r.shard ? [r.shard] : [])) } : {}),
      ...(first.shardOf ? { shardOf: first.shardOf } : {}),
      ...(missingShards.length ? { missingShards } : {}),
      ...(spends.length ? { spend: mergedSpend(spends) } : {}),
    },
    shards.flatMap((s) => s.results.results),
    version,
    problems.length || missing ? { missing, problems } : undefined,
  );
}

/**
 * The shards (`i/n`) of the run that are not among these: none for a run not in shards. Parts of different splits
 * (1/2 beside 2/3) are refused: they are not one run.
 */
export function missingParts(shards: { file: string; results: RunResults }[]): string[] {
  const parts = shards.flatMap((s) => (s.results.run.shard ? [{ file: s.file, part: s.results.run.shard }] : []));
  if (!parts.length) return [];
  const of = parts[0]!.part.split('/')[1]!;
  const other = parts.find((p) => p.part.split('/')[1] !== of);
  if (other)
    throw new HarnessError('INPUT', `${other.file} is shard ${other.part}, not a shard of ${of}`, {
      file: other.file,
      pointer: '/run/shard',
      fix: `merge the shards of one run, all run with --shard i/${of}`,
    });
  const have = new Set(parts.map((p) => p.part));
  return Array.from({ length: Number(of) }, (_, i) => `${i + 1}/${of}`).filter((p) => !have.has(p));
}

type Spend = NonNullable<RunResults['run']['spend']>;

/** The shards' ledgers as one: the documented spend and the task counts added up, the paid plan once. */
function mergedSpend(spends: Spend[]): Spend {
  const documented: Record<string, number> = {};
  for (const s of spends)
    for (const [c, n] of Object.entries(s.documented))
      documented[c] = Math.round(((documented[c] ?? 0) + n) * 10000) / 10000;
  return {
    ...mergedPlan(spends),
    documented,
    tasks: spends.reduce((n, s) => n + s.tasks, 0),
    ...tasksByProvider(spends),
    mistakenTasks: spends.reduce((n, s) => n + s.mistakenTasks, 0),
    cancelled: spends.reduce((n, s) => n + s.cancelled, 0),
  };
}

/** Each provider's tasks, its shards' added up (only when every shard kept them per provider). */
function tasksByProvider(spends: Spend[]): Pick<Spend, 'tasksByProvider'> {
  if (!spends.every((s) => s.tasksByProvider)) return {};
  const out: Record<string, number> = {};
  for (const s of spends) for (const [p, n] of Object.entries(s.tasksByProvider!)) out[p] = (out[p] ?? 0) + n;
  return { tasksByProvider: out };
}

/**
 * The night's paid plan, once: every shard read the same plan (budgets, picks, what is due), each spent its part, so a
 * provider's spend is the sum of its shards' and its budget the night's (the least the shards state: never more).
 */
function mergedPlan(spends: Spend[]): Pick<Spend, 'plan'> {
  const byProvider = new Map<string, NonNullable<Spend['plan']>[number]>();
  for (const n of spends.flatMap((s) => s.plan ?? [])) {
    const seen = byProvider.get(n.provider);
    if (!seen) {
      byProvider.set(n.provider, { ...n, spent: n.spent ?? 0 });
      continue;
    }
    seen.spent = Math.round(((seen.spent ?? 0) + (n.spent ?? 0)) * 10000) / 10000;
    if (n.budget && seen.budget && n.budget.amount < seen.budget.amount) seen.budget = n.budget;
  }
  return byProvider.size ? { plan: [...byProvider.values()] } : {};
}
