import type { CheckResult, CheckStatus } from '../checks/types.ts';

/** Many findings with one cause: the HTTP status they were all answered with, and what to look at first. */
export interface Cause {
  /** the status every check in the group was answered with */
  httpStatus: number;
  /** how many checks of each status it explains (fail, error, warn, info) */
  counts: Partial<Record<CheckStatus, number>>;
  /** every not-passing check the run judged has this cause */
  everyOne: boolean;
  hint: string;
  /** "provider check", failures first */
  checks: string[];
}

/** a group this large is a cause worth naming before the checks one by one */
const MIN_GROUP = 3;
const NOT_PASSING: CheckStatus[] = ['fail', 'error', 'warn', 'info'];
/** failures before warnings, everywhere a report lists checks */
export const STATUS_ORDER: Record<CheckStatus, number> = { error: 0, fail: 1, warn: 2, info: 3, skip: 4, pass: 5 };

/** What a status says about the run's setup rather than about the gateway's contract. */
function hintFor(status: number): string {
  if (status === 404 || status === 405)
    return (
      `answered ${status} (no such route): is --base-url right? It is the gateway's origin (and any prefix ` +
      "its documents give), without the operation's own path"
    );
  if (status === 401 || status === 403)
    return (
      `answered ${status} (not authenticated): is the key right, and in the variable --api-key-env names ` +
      "(default: the spec's)?"
    );
  if (status === 429) return 'answered 429 (rate limited): run later, or lower --concurrency';
  if (status >= 500) return `answered ${status} (the gateway failed): look at its status page, then run again`;
  return `answered ${status}`;
}

/** The one HTTP status a check's status findings observed, or undefined (none, or several). */
function observedStatus(r: CheckResult): number | undefined {
  const seen = new Set(
    (r.findings ?? [])
      .filter((f) => f.kind === 'status')
      .flatMap((f) => (Array.isArray(f.observed) ? f.observed : [f.observed]))
      .filter((s): s is number => typeof s === 'number'),
  );
  return seen.size === 1 ? [...seen][0] : undefined;
}

/**
 * Groups the checks that did not pass by the HTTP status they were answered with, where one status explains at
 * least three of them: a wrong base URL shows as one 404 cause, not 27 failures among the warnings. Largest first.
 */
export function findCauses(results: CheckResult[]): Cause[] {
  const notPassing = results.filter((r) => NOT_PASSING.includes(r.status));
  const groups = new Map<number, CheckResult[]>();
  for (const r of notPassing) {
    const status = observedStatus(r);
    if (status !== undefined) (groups.get(status) ?? groups.set(status, []).get(status)!).push(r);
  }
  return [...groups]
    .filter(([, rs]) => rs.length >= MIN_GROUP)
    .sort((a, b) => b[1].length - a[1].length)
    .map(([httpStatus, rs]) => {
      const counts: Cause['counts'] = {};
      for (const r of rs) counts[r.status] = (counts[r.status] ?? 0) + 1;
      return {
        httpStatus,
        counts,
        everyOne: rs.length === notPassing.length,
        hint: hintFor(httpStatus),
        checks: [...rs]
          .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.id.localeCompare(b.id))
          .map((r) => `${r.provider} ${r.id}`),
      };
    });
}

/** "27 failures and 5 warnings": the counts of a cause in words. */
export function describeCounts(counts: Cause['counts']): string {
  const words: [CheckStatus, string, string][] = [
    ['error', 'unjudged check', 'unjudged checks'],
    ['fail', 'failure', 'failures'],
    ['warn', 'warning', 'warnings'],
    ['info', 'observation', 'observations'],
  ];
  const parts = words
    .filter(([s]) => counts[s])
    .map(([s, one, many]) => `${counts[s]} ${counts[s] === 1 ? one : many}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
}

/** One line per cause: "Every one of the 27 failures and 5 warnings answered 404 (no such route): is --base-url …" */
export function causeLines(causes: Cause[]): string[] {
  return causes.map(
    (c) => `${c.everyOne ? 'Every one of the ' : ''}${describeCounts(c.counts)} ${c.everyOne ? '' : 'all '}${c.hint}`,
  );
}
