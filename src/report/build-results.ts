import { CHECK_STATUSES, type CheckResult, type CheckStatus, type Target } from '../checks/types.ts';
import type { RunSubject } from './run-label.ts';
import { gatewayNoise, type NoiseRow } from './gateway-noise.ts';

export interface RunResults {
  tool: { name: 'kling-conformance'; version: string };
  run: {
    id: string;
    target: Target;
    /**
     * `spec`: the provider's spec this run read (info.version and a digest of it): `drift --between` says when it
     * changed between two runs
     */
    providers: { id: string; baseUrl: string; spec?: { version: string; digest: string } }[];
    /** the seed of a conformance run's cases and faults; absent where nothing was drawn (verify-client, proxy) */
    seed?: number;
    /** when the run began; verify-client: when the judged traffic's first request started */
    startedAt: string;
    /** when the run ended; verify-client: when the judged traffic's last answer ended */
    endedAt: string;
    /** verify-client: when the recording was judged (startedAt → endedAt is the traffic's own time range) */
    judgedAt?: string;
    allowPaid: boolean;
    client: string;
    /** what the run judged when it is not a conformance run: a recording (verify-client) or a proxy session */
    subject?: RunSubject;
    mockClaims?: 'mock' | 'other';
    strict?: boolean;
    /**
     * live: the requests sent before any check (the reachability GET, the create route's probe without a key): free,
     * listed by the dry run, written to the ledger too (src/run/before-checks.ts)
     */
    beforeChecks?: { provider: string; check: string; method: string; url: string; status?: number; error?: string }[];
    /** present when planned checks did not report (a suite that did not load, a worker that died): exit 2 */
    incomplete?: { missing: number; problems: string[] };
    /** tasks the gateway accepted (a create answered with a success status) where no ledger counts them: the proxy */
    tasksCreated?: number;
    /** `i/n` when this run was one shard of several (`kling-conformance merge` joins them) */
    shard?: string;
    /** the shards a merged run was made of (their run ids) */
    mergedFrom?: string[];
    /** the shards (`i/n`) a merged run was made of: a night is whole only when every part of it is there */
    mergedShards?: string[];
    /**
     * a merge made without some shards of the run (`merge --allow-missing-shards`): which, and the suite files whose
     * checks were therefore not judged at all (exit 2: the run is not whole)
     */
    missingShards?: { shard: string; suiteFiles: string[] }[];
    /** the `--run-id` every shard of this run was given: the history reads the shards of one night as one night */
    shardOf?: string;
    /** live runs: the ledger's totals — documented spend per currency, tasks made, how many by mistake, cancelled */
    spend?: {
      documented: Record<string, number>;
      tasks: number;
      /** per provider: the tasks the ledger counts for it (absent in reports written before it was kept) */
      tasksByProvider?: Record<string, number>;
      mistakenTasks: number;
      cancelled: number;
      budget?: { amount: number; currency: string; left: number };
      /**
       * --budget-month: the cap, what the history's live runs spent this calendar month (UTC) before this run — all
       * providers together: one cap shared by every provider and run writing that history — and what is left after it
       */
      month?: { amount: number; currency: string; spentBefore: number; left: number };
      /** per provider: tonight's paid picks and the paid checks skipped for budget (with when they are due) */
      plan?: {
        provider: string;
        night: number;
        budget?: { amount: number; currency: string };
        /** where the run-wide budget left it less (then `budget`): its own budget (or equal share) as asked */
        ownBudget?: { amount: number; currency: string };
        /** the run-wide budget, when there is one */
        runWideBudget?: { amount: number; currency: string };
        picked: string[];
        /** what tonight's picks draw from the money earlier nights left unspent (carry-over) */
        fromBank?: number;
        /** each pick the bank pays part of ("boundary.maximum 1.125 USD: paid from 0.5 USD banked on nights 1–3") */
        bankNotes?: string[];
        /** this provider's documented spend tonight in its budget's currency: the night banks budget - spent */
        spent?: number;
        skippedForBudget: { id: string; reason: string }[];
      }[];
    };
  };
  results: CheckResult[];
  summary: {
    total: number;
    byProvider: Record<string, Record<CheckStatus, number>>;
    /** `byProvider`: each provider's own count (a history's per-provider column reads it) */
    billableTasks: { created: number; acceptedInvalid: number; byProvider?: Record<string, number> };
    /** per provider and rule: cases sent and failed; rules whose check was skipped are not counted */
    boundary?: Record<string, Record<string, { cases: number; failed: number }>>;
    /** gateway noise (429, 5xx, timeouts, resets met) per provider, operation and answer, when there was any */
    noise?: NoiseRow[];
  } & Record<CheckStatus, number>;
}

const ZERO = (): Record<CheckStatus, number> =>
  Object.fromEntries(CHECK_STATUSES.map((s) => [s, 0])) as Record<CheckStatus, number>;

/** Results in a stable order (provider, then id) with the counts a CI gate and a nightly monitor need. */
export function buildResults(
  run: Omit<RunResults['run'], 'incomplete'>,
  results: CheckResult[],
  version: string,
  incomplete?: RunResults['run']['incomplete'],
): RunResults {
  const sorted = [...results].sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id));
  const totals = ZERO();
  const byProvider: RunResults['summary']['byProvider'] = {};
  const boundary: NonNullable<RunResults['summary']['boundary']> = {};
  for (const r of sorted) {
    totals[r.status] += 1;
    (byProvider[r.provider] ??= ZERO())[r.status] += 1;
    const sent = r.observed as { cases?: number; failed?: number } | undefined;
    // only rules whose cases were sent: a skipped rule is skipped, not "1 case, 0 failed"
    if (r.family === 'boundary' && typeof sent?.cases === 'number') {
      const cell = ((boundary[r.provider] ??= {})[r.id.slice('boundary.'.length)] ??= { cases: 0, failed: 0 });
      cell.cases += sent.cases;
      cell.failed += sent.failed ?? 0;
    }
  }
  const paidRan = new Set(sorted.filter((r) => r.paid && r.status !== 'skip').map((r) => r.provider));
  const acceptedInvalid = sorted.reduce((n, r) => n + (r.billableTasks ?? 0), 0);
  const byProviderTasks = billableByProvider(run, sorted, paidRan);
  const noise = gatewayNoise(sorted);
  return {
    tool: { name: 'kling-conformance', version },
    run: incomplete ? { ...run, incomplete } : run,
    results: sorted,
    summary: {
      total: sorted.length,
      ...totals,
      byProvider,
      // the ledger counts every create the gateway answered with a success status: where there is one, it is the count
      billableTasks: {
        created: run.spend?.tasks ?? run.tasksCreated ?? paidRan.size + acceptedInvalid,
        acceptedInvalid,
        ...(byProviderTasks ? { byProvider: byProviderTasks } : {}),
      },
      ...(Object.keys(boundary).length ? { boundary } : {}),
      ...(noise.length ? { noise } : {}),
    },
  };
}

/**
 * Each provider's own billable tasks: the ledger's count per provider where there is a ledger (0 for a provider it
 * never counted), else its paid default task (when a paid check of it ran) plus the invalid requests it accepted.
 * None where only a run-wide count is known (a proxy session).
 */
function billableByProvider(
  run: Omit<RunResults['run'], 'incomplete'>,
  results: CheckResult[],
  paidRan: Set<string>,
): Record<string, number> | undefined {
  if (run.spend && !run.spend.tasksByProvider) return undefined;
  if (!run.spend && run.tasksCreated !== undefined) return undefined;
  return Object.fromEntries(
    run.providers.map((p) => [
      p.id,
      run.spend
        ? (run.spend.tasksByProvider?.[p.id] ?? 0)
        : (paidRan.has(p.id) ? 1 : 0) +
          results.filter((r) => r.provider === p.id).reduce((n, r) => n + (r.billableTasks ?? 0), 0),
    ]),
  );
}

/**
 * 2 when the run is incomplete (a harness problem, or a merge missing shards), 1 when any check failed or could not
 * be judged, else 0.
 */
export const exitCodeOf = (r: RunResults): number =>
  r.run.incomplete || r.run.missingShards?.length ? 2 : r.summary.fail + r.summary.error > 0 ? 1 : 0;
