import type { CheckResult, CheckStatus, Target } from '../checks/types.ts';

export interface RunResults {
  tool: { name: 'kling-conformance'; version: string };
  run: { id: string; target: Target; providers: { id: string; baseUrl: string }[]; seed: number; startedAt: string; endedAt: string; allowPaid: boolean; client: string; mockClaims?: 'mock' | 'other' };
  results: CheckResult[];
  summary: {
    total: number;
    pass: number;
    fail: number;
    skip: number;
    error: number;
    byProvider: Record<string, Record<CheckStatus, number>>;
    billableTasks: { created: number; acceptedInvalid: number };
    boundary?: Record<string, Record<string, { cases: number; failed: number }>>;
  };
}

const ZERO = (): Record<CheckStatus, number> => ({ pass: 0, fail: 0, skip: 0, error: 0 });

/** Results in a stable order (provider, then id) with the counts a CI gate and a nightly monitor need. */
export function buildResults(run: RunResults['run'], results: CheckResult[], version: string): RunResults {
  const sorted = [...results].sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id));
  const totals = ZERO();
  const byProvider: RunResults['summary']['byProvider'] = {};
  const boundary: NonNullable<RunResults['summary']['boundary']> = {};
  for (const r of sorted) {
    totals[r.status] += 1;
    (byProvider[r.provider] ??= ZERO())[r.status] += 1;
    if (r.family === 'boundary') {
      const rule = r.id.slice('boundary.'.length);
      const cell = ((boundary[r.provider] ??= {})[rule] ??= { cases: 0, failed: 0 });
      cell.cases += Number((r.observed as { cases?: number } | undefined)?.cases ?? 1);
      cell.failed += Number((r.observed as { failed?: number } | undefined)?.failed ?? (r.status === 'fail' ? 1 : 0));
    }
  }
  const paidRan = new Set(sorted.filter((r) => r.paid && r.status !== 'skip').map((r) => r.provider));
  const acceptedInvalid = sorted.reduce((n, r) => n + (r.billableTasks ?? 0), 0);
  return {
    tool: { name: 'kling-conformance', version },
    run,
    results: sorted,
    summary: { total: sorted.length, ...totals, byProvider, billableTasks: { created: paidRan.size + acceptedInvalid, acceptedInvalid }, ...(Object.keys(boundary).length ? { boundary } : {}) },
  };
}

/** 0 when nothing failed, 1 when any check failed or could not run. */
export const exitCodeOf = (r: RunResults): number => (r.summary.fail + r.summary.error > 0 ? 1 : 0);
