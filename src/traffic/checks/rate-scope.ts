import type { Finding } from '../../checks/types.ts';
import { isInferred } from '../../spec/claims.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { Rate, RateScope } from '../../spec/error-model.ts';
import type { Call } from '../traffic-model.ts';
import { sourceOf } from '../traffic-check.ts';

/**
 * Whose requests one documented limit counts, as the checks read it. Where no document says, the limit is read as one
 * API key's (what a gateway's key-authenticated limiter counts) and a request answered 429 as counting: our reading,
 * so a finding that rests on it warns (unless --strict).
 */
export interface ScopeReading {
  per: RateScope['per'];
  countsRejected: boolean;
  /** the scope is our reading (no document states it) */
  perInferred: boolean;
  /** whether a 429 counts is our reading */
  rejectedInferred: boolean;
  /** the limit itself is our reading (its source is): every finding over it warns */
  limitInferred: boolean;
  /** where the scope is documented, for the verdict's source */
  source?: string;
}

export function rateScope(spec: ProviderSpec): ScopeReading {
  const scope = spec.x.rateLimit?.scope;
  const limit = spec.x.rateLimit?.source;
  const limitInferred = Boolean(limit && (limit.inferred || isInferred(spec.x, limit)));
  if (!scope) return { per: 'key', countsRejected: true, perInferred: true, rejectedInferred: true, limitInferred };
  const inferred = Boolean(scope.source.inferred || isInferred(spec.x, scope.source));
  return {
    limitInferred,
    per: scope.per,
    countsRejected: scope.countsRejected ?? true,
    perInferred: inferred,
    rejectedInferred: inferred || scope.countsRejected === undefined,
    source: sourceOf(spec, scope.source),
  };
}

/** The most requests in any window of `windowMs` (sorted start times), and where that window starts and ends. */
export function busiest(times: number[], windowMs: number): { most: number; from: number; to: number } {
  let best = { most: 0, from: 0, to: -1 };
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    if (i - j + 1 > best.most) best = { most: i - j + 1, from: j, to: i };
  }
  return best;
}

const byName = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

/** The traffic one limit counts: the whole recording (one user's traffic), each key's, or each client's (by name). */
function counted(calls: Call[], per: RateScope['per']): { who?: string; calls: Call[] }[] {
  if (per === 'user') return [{ calls }];
  const by = new Map<string, Call[]>();
  for (const c of calls) {
    const who = per === 'key' ? c.keyId : c.client;
    (by.get(who) ?? by.set(who, []).get(who)!).push(c);
  }
  return [...by].sort(byName).map(([who, list]) => ({ who, calls: list }));
}

/** Which clients sent the requests of a window, with how many each, by name (`worker-a 300, worker-b 280`). */
function contributors(window: Call[]): string[] {
  const n = new Map<string, number>();
  for (const c of window) n.set(c.client, (n.get(c.client) ?? 0) + 1);
  return [...n].sort(byName).map(([client, k]) => `${client} ${k}`);
}

const limitsOf = (rate: Rate): [number | undefined, number, string][] => [
  [rate.perSecond === undefined ? undefined : rate.perSecond + (rate.burst ?? 0), 1000, 'second'],
  [rate.perMinute, 60_000, 'minute'],
];

/**
 * Requests (`noun`: polls, creates) over a documented rate, counted at the documented scope: a finding per user, key
 * or client whose busiest second or minute holds more than the limit, naming the clients that sent them.
 */
export function scopedRateFindings(
  calls: Call[],
  rate: Rate | undefined,
  scope: ScopeReading,
  noun: string,
): Finding[] {
  if (!rate) return [];
  const out: Finding[] = [];
  for (const group of counted(calls, scope.per)) {
    const judged = scope.countsRejected ? group.calls : group.calls.filter((c) => c.status !== 429);
    const times = judged.map((c) => c.startedMs);
    for (const [limit, windowMs, unit] of limitsOf(rate)) {
      if (limit === undefined) continue;
      const { most, from, to } = busiest(times, windowMs);
      if (most <= limit) continue;
      const window = judged.slice(from, to + 1);
      const clients = contributors(window);
      // a limit passed only because the 429s were counted rests on our reading where that is undocumented
      const without429 = window.filter((c) => c.status !== 429).length;
      const inferred =
        scope.limitInferred ||
        scope.perInferred ||
        (scope.countsRejected && scope.rejectedInferred && without429 <= limit);
      const whose = scope.per === 'user' ? "the user's traffic" : `${scope.per} ${group.who}`;
      out.push({
        kind: 'client',
        ...(clients.length === 1 ? { client: window[0]!.client } : {}),
        message:
          `${most} ${noun} in one ${unit} from ${whose} (clients ${clients.join(', ')}): the documented limit is ` +
          `${limit}, counted per ${scope.per}${scope.perInferred ? ' (our reading)' : ''}` +
          `${scope.countsRejected ? '' : ', answers 429 not counted'}`,
        expected: limit,
        observed: most,
        ...(inferred ? { inferred: true } : {}),
      });
    }
  }
  return out;
}
