import { getAt } from '../../core/json-pointer.ts';
import type { Finding } from '../../checks/types.ts';
import { dedupeKey } from '../../spec/dedupe-key.ts';
import { invalidRequestStatus } from '../../spec/operations.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import { authKey, bodyKey, retryAfterMs, retryAfterName, type Call, type TrafficView } from '../traffic-model.ts';
import {
  adviceFor,
  basisOf,
  judged,
  seconds,
  skip,
  sourceOf,
  TIMING_TOLERANCE_MS,
  type TrafficCheck,
} from '../traffic-check.ts';

const at = (c: Call) => `request #${c.index + 1} (${c.method} ${c.path})`;
const transient = (status: number) => status === 429 || status >= 500 || status === 0;

/** The same request sent again: same operation, same task (task operations) or same body (create). */
const sameRequest = (a: Call, b: Call) =>
  a.operation === b.operation && (a.operation === 'create' ? bodyKey(a) === bodyKey(b) : a.taskId === b.taskId);

/** The client's next request of the same operation (and task), whatever its body: a retry or the next job. */
function nextOf(calls: Call[], i: number): Call | undefined {
  const c = calls[i]!;
  for (let j = i + 1; j < calls.length; j++) {
    const n = calls[j]!;
    if (n.operation === c.operation && (c.operation === 'create' || n.taskId === c.taskId)) return n;
  }
  return undefined;
}

/** Each client's runs of one request answered transiently then sent again: [first, …retries]. */
export function retryRuns(view: TrafficView): Call[][] {
  const runs: Call[][] = [];
  for (const { calls } of view.clients) {
    const used = new Set<Call>();
    calls.forEach((c, i) => {
      if (used.has(c) || c.operation === 'other' || c.operation === 'download' || !transient(c.status)) return;
      const run = [c];
      let k = i;
      for (let n = nextOf(calls, k); n && sameRequest(c, n); n = nextOf(calls, k)) {
        run.push(n);
        used.add(n);
        k = calls.indexOf(n);
        if (!transient(n.status)) break;
      }
      runs.push(run);
    });
  }
  return runs;
}

export const waitBefore = (prev: Call, next: Call) => next.startedMs - (prev.startedMs + prev.durationMs);

/**
 * Why no 400 was met, and how to meet one: no named plan answers a create 400 (the documented status answers an
 * invalid body, which a valid client never sends), so a plan file does, or the client sends one invalid body.
 */
const neverRefused = (invalid: number) =>
  `the client never got a ${invalid} or 401: no named plan (documented, none) answers ${invalid}, which answers an ` +
  `invalid body: record with --faults <plan file> whose fault is {operation: create, at: 1, step: "${invalid}"} ` +
  `(fixtures/clients/plans/create-400.yaml in the repository; docs/verify-client.md, "Fault plan files"), or have ` +
  `the client send one invalid body (the mock answers the documented ${invalid})`;

export const noBlindRetry: TrafficCheck = {
  id: 'traffic.no_retry_after_4xx',
  title: 'no retry after a 400 (invalid request) or 401 until the body or the key changed',
  basis(spec) {
    // the advice the verdict cites: the invalid request's, else the 401's
    const invalid = adviceFor(spec, invalidRequestStatus(spec));
    const { advice, inferred } = invalid.advice ? invalid : adviceFor(spec, 401);
    return basisOf(spec, advice?.source, inferred);
  },
  evaluate(view) {
    const spec = view.spec;
    const invalid = invalidRequestStatus(spec);
    const findings: Finding[] = [];
    let met = 0;
    for (const { calls } of view.clients)
      calls.forEach((c, i) => {
        if (c.status !== invalid && c.status !== 401) return;
        if (c.operation === 'other' || c.operation === 'download') return;
        met += 1;
        const next = nextOf(calls, i);
        if (!next) return;
        const sameBody = c.operation !== 'create' || bodyKey(next) === bodyKey(c);
        const sameKey = authKey(next) === authKey(c);
        const blind = c.status === 401 ? sameKey : sameBody && sameKey;
        if (!blind) return;
        const { inferred } = adviceFor(spec, c.status);
        findings.push({
          kind: 'retry',
          client: c.client,
          message:
            `${at(next)} repeats ${at(c)} after its ${c.status} with the same ` +
            `${c.status === 401 ? 'key' : 'body and key'}: a ${c.status} does not go away by itself`,
          expected: c.status === 401 ? 'a new key' : 'a changed body',
          observed: { status: c.status, waitedMs: Math.round(waitBefore(c, next)) },
          inferred,
        });
      });
    if (met === 0) return skip(neverRefused(invalid));
    const advice = adviceFor(spec, invalid).advice ?? adviceFor(spec, 401).advice;
    return judged(
      findings,
      `${met} answers of ${invalid}/401, none sent again unchanged`,
      sourceOf(spec, advice?.source),
    );
  },
};

/** The wait a retry owes after a 429: Retry-After where the answer sent one and the provider documents it, else the
 * documented delay for this attempt scaled by the jitter band's lower factor. */
function owedAfter429(
  spec: ProviderSpec,
  answer: Call,
  attempt: number,
): { ms: number; why: string; inferred: boolean } {
  const { advice, inferred } = adviceFor(spec, 429);
  const header = retryAfterMs(spec, answer);
  if (header !== undefined && advice?.retryAfter !== false) {
    // the header's value is evidence, quoted as sent; that it must be honoured is the documents' rule (or our reading)
    const name = retryAfterName(spec);
    const sent = `"${name}: ${answer.responseHeaders.get(name.toLowerCase())}"`;
    return {
      ms: header,
      why: `the ${seconds(header)} the answer's ${sent} asked for`,
      inferred: !advice?.retryAfter || inferred,
    };
  }
  const delay = advice?.delaysMs?.[Math.min(attempt, (advice.delaysMs?.length ?? 1) - 1)] ?? 0;
  const factor = advice?.jitterTolerance?.minFactor ?? (advice?.jitter ? 0 : 1);
  return {
    ms: delay * factor,
    why: `the documented delay ${seconds(delay)}${factor !== 1 ? ` × ${factor} (jitter band)` : ''}`,
    inferred: Boolean(advice?.delaysInferred) || inferred,
  };
}

export const waitAfter429: TrafficCheck = {
  id: 'traffic.wait_after_429',
  title:
    `after a 429 the client waits as documented (Retry-After honoured, a longer one than the cap not waited out, ` +
    `backoff between repeated 429s; real timestamps, ${TIMING_TOLERANCE_MS} ms tolerance)`,
  basis(spec) {
    const { advice, inferred } = adviceFor(spec, 429);
    return basisOf(spec, advice?.source, inferred);
  },
  evaluate(view) {
    const spec = view.spec;
    const runs = retryRuns(view).filter((r) => r[0]!.status === 429);
    const met = view.calls.filter((c) => c.status === 429).length;
    if (!spec.x.retry['429'] && !spec.x.errors['429'])
      return skip(`${spec.id}'s documents describe no 429: the behaviour is not covered`);
    if (met === 0) return skip('the client never met a 429: run the mock with --faults documented');
    const retried = runs.filter((r) => r.length > 1);
    if (retried.length === 0) return skip(`the client met ${met} 429(s) and retried none of them`);
    const { advice, inferred } = adviceFor(spec, 429);
    const cap = advice?.retryAfterCapMs;
    const findings: Finding[] = [];
    const waits: number[] = [];
    // each client's waits apart (several clients in one recording: whose wait was which)
    const byClient: Record<string, number[]> = {};
    for (const run of retried)
      run.slice(1).forEach((next, k) => {
        const prev = run[k]!;
        if (prev.status !== 429) return;
        const waited = waitBefore(prev, next);
        waits.push(Math.round(waited));
        (byClient[next.client] ??= []).push(Math.round(waited));
        const owed = owedAfter429(spec, prev, k);
        if (cap !== undefined && owed.ms > cap) {
          findings.push({
            kind: 'retry',
            client: next.client,
            message: `${at(next)} retried after ${owed.why}, longer than the ${seconds(cap)} cap: give up instead`,
            inferred: inferred || Boolean(advice?.retryAfterCapInferred),
          });
          return;
        }
        if (waited + TIMING_TOLERANCE_MS < owed.ms)
          findings.push({
            kind: 'retry',
            client: next.client,
            message: `${at(next)} came ${seconds(Math.max(0, waited))} after a 429: ${owed.why} was owed`,
            expected: Math.round(owed.ms),
            observed: Math.round(waited),
            inferred: owed.inferred,
          });
      });
    findings.push(...growthFindings(spec, retried));
    return judged(
      findings,
      `waited as documented after ${waits.length} 429(s) (${waits.join(' / ')} ms)`,
      sourceOf(spec, advice?.source),
      { waitsMs: byClient },
    );
  },
};

/** Backoff: where the documents ask for growing waits without jitter, each wait in a run is longer than the last. */
function growthFindings(spec: ProviderSpec, runs: Call[][]): Finding[] {
  const { advice, inferred } = adviceFor(spec, 429);
  if (!advice?.backoff || advice.jitter) return [];
  return runs.flatMap((run): Finding[] => {
    const waits = run.slice(1).map((n, k) => waitBefore(run[k]!, n));
    const shrinks = waits.some((w, k) => k > 0 && w + TIMING_TOLERANCE_MS < waits[k - 1]!);
    return shrinks
      ? [
          {
            kind: 'retry',
            client: run[0]!.client,
            message: `the waits do not grow (${waits.map(Math.round).join(' / ')} ms)`,
            inferred,
          },
        ]
      : [];
  });
}

export const retryLimit: TrafficCheck = {
  id: 'traffic.retry_limit',
  title: 'retries of a 429 or 5xx stop at the documented limit',
  basis(spec) {
    // the advice the verdict cites: the 429's, else the 500's
    const { advice, inferred } = spec.x.retry['429'] ? adviceFor(spec, 429) : adviceFor(spec, 500);
    return basisOf(spec, advice?.source, inferred || Boolean(advice?.countInferred));
  },
  evaluate(view) {
    const spec = view.spec;
    const runs = retryRuns(view).filter((r) => r.length > 1);
    if (!spec.x.retry['429'] && !spec.x.retry['500'])
      return skip(`${spec.id}'s documents give no retry limit for a 429 or 500: the behaviour is not covered`);
    if (runs.length === 0)
      return skip('the client retried no 429 or 5xx: run the mock with --faults documented (or a plan with repeats)');
    const findings = runs.flatMap((run): Finding[] => {
      const status = run[0]!.status === 0 ? 500 : run[0]!.status;
      const { advice, inferred } = adviceFor(
        spec,
        status >= 500 ? (spec.x.retry[String(status)] ? status : 500) : status,
      );
      const limit = advice?.delaysMs?.length;
      if (limit === undefined || run.length - 1 <= limit) return [];
      return [
        {
          kind: 'retry',
          client: run[0]!.client,
          message: `${at(run[0]!)} was sent ${run.length} times after ${status}s: the documents allow ${limit} retries`,
          expected: `<= ${limit + 1}`,
          observed: run.length,
          inferred: inferred || Boolean(advice?.countInferred),
        },
      ];
    });
    return judged(
      findings,
      `${runs.length} retried request(s), each within the documented limit`,
      sourceOf(spec, spec.x.retry['429']?.source ?? spec.x.retry['500']?.source),
    );
  },
};

export const noDuplicateAfter500: TrafficCheck = {
  id: 'traffic.no_duplicate_after_500',
  title: 'no second create after a 5xx (the task may exist) unless a documented idempotency key deduplicates it',
  basis: (spec) => basisOf(spec, spec.x.idempotency?.source ?? spec.x.retry['500']?.source),
  evaluate(view) {
    const spec = view.spec;
    const key = dedupeKey(spec);
    const cited = spec.x.idempotency?.source ?? spec.x.retry['500']?.source;
    // the finding is as sure as the fact printed as its source (an inferred page: warn unless --strict)
    const inferred = basisOf(spec, cited).confidence === 'inferred';
    const findings: Finding[] = [];
    let met = 0;
    for (const { calls } of view.clients)
      calls.forEach((c, i) => {
        if (c.operation !== 'create' || !(c.status >= 500 || c.status === 0)) return;
        met += 1;
        const again = calls.slice(i + 1).find((n) => n.operation === 'create' && bodyKey(n) === bodyKey(c));
        if (!again) return;
        if (key && getAt(again.json, key) !== undefined) return;
        findings.push({
          kind: 'retry',
          client: c.client,
          message:
            `${at(again)} sends the create of ${at(c)} again after its ${c.status || 'dropped answer'}` +
            (key
              ? ` without ${key} (the documented key that deduplicates creates)`
              : ': no documented key deduplicates creates, so this may be a second billed task'),
          expected: key ? `${key} on the retry` : 'no second create',
          inferred,
        });
      });
    if (met === 0) return skip('the client never met a 5xx on a create: run the mock with --faults documented');
    return judged(
      findings,
      `${met} create(s) answered 5xx, none sent again${key ? ` without ${key}` : ''}`,
      sourceOf(spec, cited),
    );
  },
};
