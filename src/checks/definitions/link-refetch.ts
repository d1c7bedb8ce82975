import type { Claim, ProviderSpec } from '../../spec/model.ts';
import { observeLinkRefetch, type LinkRefetch } from '../probes/link-refetch.ts';
import { requestIdsOf } from '../probes/exchange-summary.ts';
import { describeClaim, sourceText } from '../sources.ts';
import type { CheckDefinition, Verdict } from '../types.ts';
import { notAvailable } from './defaults.ts';
import { longestLifetime } from './result-link.ts';
import { missingTaskEvidence } from './task-evidence.ts';

/** The shortest lifetime the documents give a result link (the one an early expiry is measured against). */
function shortestLifetime(spec: ProviderSpec, obs: LinkRefetch): Claim<number> {
  const rl = spec.x.resultLink;
  const stated =
    rl.ttlPointer && obs.task.linkTtlSeconds !== undefined
      ? [{ value: obs.task.linkTtlSeconds, source: rl.ttlPointer.source }]
      : [];
  return [...stated, ...rl.lifetimeSeconds].reduce((a, b) => (b.value < a.value ? b : a));
}

/**
 * Pure: a link re-fetched before its shortest documented lifetime ended must still answer. Dead by then: `fail`,
 * with the documented lifetime as the source. Still answering, but re-fetched sooner than --link-recheck asked (a run
 * too short to wait): `skip` with the reason, never a pass. No re-fetch at all: `error`.
 */
export function evaluateLinkRefetch(spec: ProviderSpec, obs: LinkRefetch): Verdict {
  const lifetime = shortestLifetime(spec, obs);
  const r = obs.refetch;
  const base = {
    expected: { answersAfterSeconds: obs.recheckSeconds, lifetimeSeconds: lifetime.value },
    observed: r,
    source: sourceText(spec, lifetime.source),
    requestIds: requestIdsOf(obs.task.create, ...obs.task.polls),
  };
  if (!r) return { ...base, status: 'error', message: obs.note!, findings: [{ kind: 'evidence', message: obs.note! }] };
  if (r.status === undefined) {
    const message = `the link could not be fetched again: ${r.error ?? 'no answer'}`;
    return { ...base, status: 'error', message, findings: [{ kind: 'evidence', message }] };
  }
  const after = `${r.afterSeconds} s after its first download`;
  if (r.status !== 200 && r.afterSeconds < lifetime.value) {
    const message = `the link answered ${r.status} ${after}: documented to live ${lifetime.value} s`;
    const finding = {
      kind: 'link-expiry' as const,
      message,
      expected: lifetime.value,
      observed: r,
      source: base.source,
      requestIds: base.requestIds,
    };
    return { ...base, status: 'fail', message, findings: [finding] };
  }
  if (r.status !== 200)
    return { ...base, status: 'pass', message: `answered ${r.status} ${after}, past ${describeClaim(spec, lifetime)}` };
  if (r.afterSeconds < obs.recheckSeconds)
    return {
      ...base,
      status: 'skip',
      message:
        `too short to judge: the link still answers ${after}, sooner than the ${obs.recheckSeconds} s ` +
        `--link-recheck asks for (${obs.note ?? 'the run ended its wait early'})`,
    };
  return {
    ...base,
    status: 'pass',
    message: `the link still answers ${after} (documented to live ${lifetime.value} s)`,
  };
}

export const linkRefetchChecks: CheckDefinition<LinkRefetch>[] = [
  {
    id: 'lifecycle.link_refetch',
    family: 'lifecycle',
    title: 'the result link still answers when fetched again later, within its documented lifetime',
    cost: 'paid',
    target: 'any',
    notApplicable: notAvailable,
    probe: observeLinkRefetch,
    // a link that expires early: time runs two lifetimes ahead of every advance asked of the gateway
    breakers: (s) => [{ gateway: 'skips-clock', extraMs: longestLifetime(s) * 2000 }],
    evaluate: (spec, obs) => missingTaskEvidence(spec, obs.task) ?? evaluateLinkRefetch(spec, obs),
  },
];
