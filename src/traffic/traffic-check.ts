import type { Finding, Verdict } from '../checks/types.ts';
import { findingSummary } from '../report/finding-text.ts';
import { describeSource, isInferred } from '../spec/claims.ts';
import type { ProviderSpec, Source } from '../spec/model.ts';
import type { RetryAdvice } from '../spec/error-model.ts';
import type { ProviderValidators } from '../validate/compile-validators.ts';
import type { TrafficView } from './traffic-model.ts';

/**
 * A traffic check: a pure function over a recorded exchange sequence, with a stable id and the documented
 * expectation as its title. No evidence in the traffic is `skip` with what would give some — never a pass.
 */
export interface TrafficCheck {
  id: string;
  title: string;
  /** what this check judges a provider's clients on: the fact it reads, and whether a document or our reading says
   * it (`not required`: the documents do not ask for the behaviour, so the check skips). docs/checks.md lists it. */
  basis(spec: ProviderSpec): Basis;
  evaluate(view: TrafficView, validators: ProviderValidators): Verdict;
}

export interface Basis {
  confidence: 'documented' | 'inferred' | 'not required';
  source?: Source;
}

/** A fact's basis: documented unless the fact, or the document it cites, is our reading. */
export const basisOf = (spec: ProviderSpec, source: Source | undefined, inferred = false): Basis =>
  source
    ? { confidence: inferred || isInferred(spec.x, source) ? 'inferred' : 'documented', source }
    : { confidence: 'inferred' };

/**
 * The check judging no surer than its basis: where the fact it reads is our reading (or the behaviour is not
 * required), every finding is marked inferred, so it warns (fails only with --strict) whatever the finding itself
 * says. A documented basis leaves each finding's own confidence (a documented limit, an inferred constraint) as it is.
 */
export const atBasis = (check: TrafficCheck): TrafficCheck => ({
  ...check,
  evaluate(view, validators) {
    const verdict = check.evaluate(view, validators);
    if (!verdict.findings?.length || check.basis(view.spec).confidence === 'documented') return verdict;
    return { ...verdict, findings: verdict.findings.map((f) => ({ ...f, inferred: true })) };
  },
});

/** Real timestamps are judged with this much slack (scheduling, clock reading, recording). */
export const TIMING_TOLERANCE_MS = 50;

export const skip = (message: string): Verdict => ({ status: 'skip', message });

/** fail with the findings (the message names the clients they are about), else pass with `passed`. */
export function judged(findings: Finding[], passed: string, source: string | undefined, observed?: unknown): Verdict {
  if (findings.length === 0) return { status: 'pass', message: passed, source, observed };
  const shown = findings.slice(0, 20);
  const clients = [...new Set(findings.flatMap((f) => (f.client ? [f.client] : [])))];
  const whose = clients.length ? ` (${clients.length === 1 ? 'client' : 'clients'} ${clients.join(', ')})` : '';
  return {
    status: 'fail',
    message:
      findings.length === 1
        ? findingSummary(shown[0]!)
        : `${findings.length} findings${whose}; first: ${findingSummary(shown[0]!)}`,
    findings: shown,
    source,
    observed,
  };
}

export const sourceOf = (spec: ProviderSpec, source: Source | undefined): string | undefined =>
  source ? describeSource(spec.x, source) : undefined;

/** The documented advice for a status, and whether it is our reading rather than a document's. */
export function adviceFor(spec: ProviderSpec, status: number): { advice?: RetryAdvice; inferred: boolean } {
  const advice = spec.x.retry[String(status)];
  if (!advice) return { inferred: true };
  return { advice, inferred: Boolean(advice.inferred || advice.source.inferred || isInferred(spec.x, advice.source)) };
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 3 : 1)} s`;
