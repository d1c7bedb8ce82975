import { isBad, type HistoryCheck, type HistoryLine } from './history-line.ts';

/** How a night run in shards stands in the history: the parts it holds, of how many, and what it lacks. */
export interface NightShards {
  runId: string;
  /** the parts the history holds, in order ("1/3", "3/3") */
  parts: string[];
  /** how many shards the run was cut into */
  of: number;
  /** the parts not in the history */
  missing: string[];
  /** the history lines it was read from (one per shard, or one written by `merge --history`) */
  lines: number;
  /**
   * why the night counts as having left nothing unspent (a part missing, parts cut in different counts): the planner
   * banks nothing for it. None: the night is whole.
   */
  problem?: string;
}

/** A history line as `history` shows it: a night run in shards is one line, its shards joined. */
export type NightLine = HistoryLine & { shards?: NightShards };

const partCount = (part: string) => Number(part.split('/')[1]);

/** The parts a sharded night's lines hold and lack; undefined when none of the lines is a shard's. */
export function shardCount(lines: HistoryLine[]): NightShards | undefined {
  const sharded = lines.filter((l) => l.shard);
  if (!sharded.length) return undefined;
  const parts = [...new Set(sharded.flatMap((l) => l.shard!.parts))].sort(
    (a, b) => Number(a.split('/')[0]) - Number(b.split('/')[0]),
  );
  const of = Math.max(...parts.map(partCount), 1);
  const missing = Array.from({ length: of }, (_, k) => `${k + 1}/${of}`).filter((p) => !parts.includes(p));
  // parts of another count (1/2 beside 1/3) are not one run's shards: nothing is known of the night
  const mixed = parts.some((p) => partCount(p) !== of);
  const problem = mixed
    ? `its shards were cut in different counts (${parts.join(', ')})`
    : missing.length
      ? `shard ${missing.join(', ')} not in the history`
      : undefined;
  return { runId: sharded[0]!.shard!.runId, parts, of, missing, lines: lines.length, ...(problem ? { problem } : {}) };
}

/**
 * The history as nights: the lines of one run id (`shard.runId`, per target) joined into one, where its first line
 * stood — the checks, counts and spends of its shards added up, each provider's budget once (the least its lines
 * state, as the planner reads it), and `shards` saying which parts it holds. A night lacking a part is incomplete.
 */
export function joinShardedNights(lines: HistoryLine[]): NightLine[] {
  const groups = new Map<string, HistoryLine[]>();
  const order: (HistoryLine | string)[] = [];
  for (const l of lines) {
    if (!l.shard) {
      order.push(l);
      continue;
    }
    const key = `${l.target}\u0000${l.shard.runId}`;
    if (!groups.has(key)) order.push(key);
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  return order.map((x) => (typeof x === 'string' ? joinNight(groups.get(x)!) : x));
}

/** One night from its shards' lines. */
function joinNight(lines: HistoryLine[]): NightLine {
  const shards = shardCount(lines)!;
  const providers = [...new Set(lines.flatMap((l) => l.providers))];
  const spends = lines.flatMap((l) => (l.spend ? [l.spend] : []));
  const tasks = lines.flatMap((l) => (l.billableTasks !== undefined ? [l.billableTasks] : []));
  const prices = Object.assign({}, ...lines.map((l) => l.prices ?? {})) as NonNullable<HistoryLine['prices']>;
  const paid = joinPaid(lines);
  return {
    id: shards.runId,
    startedAt: lines.map((l) => l.startedAt).sort()[0]!,
    target: lines[0]!.target,
    providers,
    summary: addCounts(lines.map((l) => l.summary)),
    ...(shards.problem || lines.some((l) => l.incomplete) ? { incomplete: true } : {}),
    byProvider: Object.fromEntries(
      [...new Set(lines.flatMap((l) => Object.keys(l.byProvider)))].map((p) => [
        p,
        addCounts(lines.flatMap((l) => (l.byProvider[p] ? [l.byProvider[p]] : []))),
      ]),
    ),
    failed: [...new Set(lines.flatMap((l) => l.failed))],
    ...(lines.some((l) => l.checks) ? { checks: joinChecks(lines) } : {}),
    ...(spends.length ? { spend: addCounts(spends) } : {}),
    ...(Object.keys(paid).length ? { paid } : {}),
    ...(tasks.length ? { billableTasks: tasks.reduce((s, n) => s + n, 0) } : {}),
    ...(Object.keys(prices).length ? { prices } : {}),
    shard: { runId: shards.runId, parts: shards.parts },
    shards,
    reportDir: lines.map((l) => l.reportDir).join(', '),
  };
}

/** Counts (or amounts) added up key by key. */
function addCounts<K extends string>(all: Partial<Record<K, number>>[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const counts of all)
    for (const [k, n] of Object.entries(counts) as [K, number][]) out[k] = round((out[k] ?? 0) + n);
  return out;
}

/** The shards' checks: a check two lines hold (an overlap) keeps its worse verdict. */
function joinChecks(lines: HistoryLine[]): Record<string, HistoryCheck> {
  const out: Record<string, HistoryCheck> = {};
  for (const l of lines)
    for (const [key, c] of Object.entries(l.checks ?? {})) {
      const was = out[key];
      if (!was || isBad(c.status) || was.status === 'skip') out[key] = c;
    }
  return out;
}

/** Per provider: the night's budget once (the least its lines state), the spends and draws on the bank added up. */
function joinPaid(lines: HistoryLine[]): NonNullable<HistoryLine['paid']> {
  const out: NonNullable<HistoryLine['paid']> = {};
  for (const l of lines)
    for (const [p, x] of Object.entries(l.paid ?? {})) {
      const was = out[p];
      const budgets = [was?.budget, x.budget].filter((b): b is number => b !== undefined);
      const fromBank = round((was?.fromBank ?? 0) + (x.fromBank ?? 0));
      out[p] = {
        ...(budgets.length ? { budget: Math.min(...budgets) } : {}),
        spent: round((was?.spent ?? 0) + x.spent),
        ...((was?.currency ?? x.currency) ? { currency: was?.currency ?? x.currency } : {}),
        ...(fromBank ? { fromBank } : {}),
        picked: [...(was?.picked ?? []), ...x.picked],
      };
    }
  return out;
}

const round = (n: number) => Math.round(n * 10000) / 10000;
