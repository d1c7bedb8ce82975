import type { Finding } from '../../checks/types.ts';
import { isInferred, pickClaim } from '../../spec/claims.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { Call, TrafficView } from '../traffic-model.ts';
import { rateScope, type ScopeReading, scopedRateFindings } from './rate-scope.ts';
import { basisOf, judged, seconds, skip, sourceOf, TIMING_TOLERANCE_MS, type TrafficCheck } from '../traffic-check.ts';

const at = (c: Call) => `request #${c.index + 1} (${c.method} ${c.path})`;
const terminal = (c: Call) => c.phase === 'succeeded' || c.phase === 'failed';
const ok = (c: Call) => c.status >= 200 && c.status < 300;

/**
 * One task polled more often than once a second: no document states a poll interval; a generation takes tens of
 * seconds, and a second is well inside every documented rate limit. Our reading, so it warns (unless --strict).
 */
export const POLL_FLOOR_MS = 1000;

/** The documented limit's source, and where its scope is documented (or that the scope is our reading). */
function rateSource(spec: ProviderSpec, scope: ScopeReading): string | undefined {
  const limit = sourceOf(spec, spec.x.rateLimit?.source);
  if (!limit) return undefined;
  return `${limit}; counted per ${scope.per}: ${scope.source ?? 'inferred (no document says whose requests count)'}`;
}

function floorFindings(client: string, polls: Call[]): Finding[] {
  const byTask = new Map<string, Call[]>();
  for (const p of polls) if (p.taskId) (byTask.get(p.taskId) ?? byTask.set(p.taskId, []).get(p.taskId)!).push(p);
  return [...byTask].flatMap(([task, list]): Finding[] => {
    // a poll right after a 429 answer is a retry: traffic.wait_after_429 judges its wait
    const gaps = list.slice(1).flatMap((p, k) => (list[k]!.status === 429 ? [] : [p.startedMs - list[k]!.startedMs]));
    const fast = gaps.filter((g) => g + TIMING_TOLERANCE_MS < POLL_FLOOR_MS);
    if (fast.length === 0) return [];
    const fastest = Math.max(1, Math.min(...fast));
    return [
      {
        kind: 'client',
        client,
        message:
          `task ${task} polled ${fast.length} time(s) less than ${seconds(POLL_FLOOR_MS)} apart ` +
          `(fastest ${Math.round(fastest)} ms, ${(1000 / fastest).toFixed(1)} requests/s)`,
        expected: `>= ${POLL_FLOOR_MS} ms`,
        observed: Math.round(fastest),
        inferred: true,
      },
    ];
  });
}

export const pollRate: TrafficCheck = {
  id: 'traffic.poll_rate',
  title: `polls stay within the documented rate limit, and one task is polled at most once a second (our reading)`,
  basis: (spec) => basisOf(spec, spec.x.rateLimit?.poll ? spec.x.rateLimit.source : undefined),
  evaluate(view) {
    const spec = view.spec;
    const scope = rateScope(spec);
    const polls = view.calls.filter((c) => c.operation === 'poll');
    // the documented limit counts at its documented scope; one task's pace is each client's own
    const findings = scopedRateFindings(polls, spec.x.rateLimit?.poll, scope, 'polls');
    for (const { client, calls } of view.clients)
      findings.push(
        ...floorFindings(
          client,
          calls.filter((c) => c.operation === 'poll'),
        ),
      );
    if (polls.length < 2) return skip('the client polled fewer than twice');
    const limit = spec.x.rateLimit?.poll;
    return judged(
      findings,
      `${polls.length} polls within ${limit ? `the documented limit (counted per ${scope.per}) and ` : ''}` +
        'one a second per task',
      rateSource(spec, scope) ?? `inferred: one poll a second per task (no poll interval is documented)`,
    );
  },
};

export const createRate: TrafficCheck = {
  id: 'traffic.create_rate',
  title: 'creates stay within the documented submission rate limit, counted at its documented scope',
  basis: (spec) =>
    spec.x.rateLimit ? basisOf(spec, spec.x.rateLimit.source) : { confidence: 'not required' as const },
  evaluate(view) {
    const spec = view.spec;
    if (!spec.x.rateLimit) return skip('the provider documents no submission rate limit');
    const scope = rateScope(spec);
    const creates = view.calls.filter((c) => c.operation === 'create');
    if (creates.length < 2) return skip('the client created fewer than twice');
    return judged(
      scopedRateFindings(creates, spec.x.rateLimit.create, scope, 'creates'),
      `${creates.length} creates within the documented limit (counted per ${scope.per})`,
      rateSource(spec, scope),
    );
  },
};

export const noPollAfterTerminal: TrafficCheck = {
  id: 'traffic.poll_after_terminal',
  title: 'a task is not polled again after a terminal status',
  basis: (spec) => basisOf(spec, spec.x.lifecycle.source, true),
  evaluate(view) {
    const findings: Finding[] = [];
    let ended = 0;
    for (const { calls } of view.clients) {
      const done = new Map<string, Call>();
      for (const c of calls) {
        if (c.operation !== 'poll' || !c.taskId) continue;
        const end = done.get(c.taskId);
        if (end) {
          findings.push({
            kind: 'client',
            client: c.client,
            message: `${at(c)} polls task ${c.taskId} after it read ${end.word} (${at(end)})`,
            inferred: true,
          });
          continue;
        }
        if (ok(c) && terminal(c)) {
          done.set(c.taskId, c);
          ended += 1;
        }
      }
    }
    if (ended === 0) return skip('no task of the client reached a terminal status');
    return judged(
      findings,
      `${ended} task(s) ended; none polled after`,
      sourceOf(view.spec, view.spec.x.lifecycle.source),
    );
  },
};

/** When a delivered link expires: the answer's own expiry, else the task's end as first seen plus the link life. */
function expiryOf(view: TrafficView, delivered: Call, calls: Call[]): { ms: number; inferred: boolean; why: string } {
  if (delivered.expiresAtMs !== undefined)
    return {
      ms: delivered.expiresAtMs,
      // the answer states the time; that a link is dead past it is as sure as the documented link life
      inferred: noExpiredFetch.basis(view.spec).confidence !== 'documented',
      why: `the answer's expiry ${new Date(delivered.expiresAtMs).toISOString()}`,
    };
  const claim = pickClaim(view.spec.x.resultLink.lifetimeSeconds, 'mock');
  const ended = calls.find((c) => c.taskId === delivered.taskId && terminal(c)) ?? delivered;
  return {
    ms: ended.startedMs + claim.value * 1000,
    inferred: Boolean(claim.inferred || claim.source.inferred),
    why: `the documented link life ${claim.value} s after the task ended`,
  };
}

export const noExpiredFetch: TrafficCheck = {
  id: 'traffic.expired_link',
  title: 'no result link is fetched after it expired, nor again after it answered expired',
  basis(spec) {
    const claim = pickClaim(spec.x.resultLink.lifetimeSeconds, 'mock');
    return basisOf(spec, claim.source, Boolean(claim.inferred));
  },
  evaluate(view) {
    const spec = view.spec;
    const expired = spec.x.resultLink.expired;
    const expiredStatus = expired.status;
    // that this status means "expired" (so fetching again is pointless) is as sure as its source: our reading today
    const expiredInferred = Boolean(expired.inferred || isInferred(spec.x, expired.source));
    const findings: Finding[] = [];
    let fetched = 0;
    for (const { calls } of view.clients) {
      const answeredExpired = new Set<string>();
      calls.forEach((c, i) => {
        if (c.operation !== 'download') return;
        fetched += 1;
        if (answeredExpired.has(c.url))
          findings.push({
            kind: 'client',
            client: c.client,
            message: `${at(c)} fetches a link again after it answered ${expiredStatus} (expired)`,
            inferred: expiredInferred,
          });
        const delivered = calls
          .slice(0, i)
          .reverse()
          .find((d) => d.resultUrl === c.url);
        const expiry = delivered ? expiryOf(view, delivered, calls) : undefined;
        if (expiry && c.startedMs > expiry.ms + TIMING_TOLERANCE_MS)
          findings.push({
            kind: 'client',
            client: c.client,
            message: `${at(c)} fetches a result link after ${expiry.why}`,
            inferred: expiry.inferred,
          });
        if (c.status === expiredStatus) answeredExpired.add(c.url);
      });
    }
    if (fetched === 0) return skip('the client never fetched a result link');
    return judged(
      findings,
      `${fetched} result fetch(es), none of an expired link`,
      sourceOf(spec, pickClaim(spec.x.resultLink.lifetimeSeconds, 'mock').source),
    );
  },
};

export const tasksFinished: TrafficCheck = {
  id: 'traffic.tasks_finished',
  title: 'every task the client was given is polled to a terminal status or cancelled',
  basis: (spec) => basisOf(spec, spec.x.lifecycle.source, true),
  evaluate(view) {
    const findings: Finding[] = [];
    let tasks = 0;
    for (const { calls } of view.clients) {
      const given = calls.filter((c) => c.operation === 'create' && ok(c) && c.taskId);
      tasks += given.length;
      for (const create of given) {
        const done = calls.some(
          (c) => c.taskId === create.taskId && ok(c) && (terminal(c) || c.operation === 'cancel'),
        );
        if (!done)
          findings.push({
            kind: 'client',
            client: create.client,
            message: `task ${create.taskId} (${at(create)}) was left without a terminal status or a cancel`,
            inferred: true,
          });
      }
    }
    if (tasks === 0) return skip('the client was given no task');
    return judged(
      findings,
      `${tasks} task(s), each polled to its end or cancelled`,
      sourceOf(view.spec, view.spec.x.lifecycle.source),
    );
  },
};
