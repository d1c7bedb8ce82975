import type { ProviderSpec } from '../../spec/model.ts';
import { errorAnswerInferred } from '../inferred-expectation.ts';
import type { Finding } from '../types.ts';
import { listNoise, nameNoise } from '../transient.ts';
import type { CaseOutcome } from './boundary.ts';

const noiseStatus = (status: number | undefined) =>
  status === 429 || (status !== undefined && status >= 500 && status !== 501);

/**
 * Cases whose last answer was still noise (a 429 or 5xx the case does not expect): not judged, neither a pass nor a
 * failure of the rule.
 */
export function unjudgedByNoise(outcomes: CaseOutcome[]): CaseOutcome[] {
  return outcomes.filter(
    (o) => noiseStatus(o.status) && !(o.case.expect.outcome === 'reject' && o.case.expect.status === o.status),
  );
}

/** Every noisy exchange of these cases, named: the ones sent again in place and the ones still unjudged. */
export function noiseFindings(outcomes: CaseOutcome[]): Finding[] {
  const unjudged = unjudgedByNoise(outcomes);
  const named = outcomes.flatMap((o) => (o.noise ?? []).map(nameNoise));
  if (!named.length && !unjudged.length) return [];
  const still = unjudged.map((o) => o.case.id);
  const message =
    `${named.length} noisy answer(s) (${listNoise(named)}), ` +
    `sent again in place as documented` +
    (still.length ? `; still noise, not judged: ${still.slice(0, 5).join(', ')}` : '');
  return [{ kind: 'transient', message, observed: named }];
}

/** A case expected to be refused was refused, with another 4xx than the status only our reading gives. */
export function refusedOtherwise(spec: ProviderSpec, o: CaseOutcome): boolean {
  const e = o.case.expect;
  return (
    e.outcome === 'reject' &&
    o.status !== undefined &&
    o.status >= 400 &&
    o.status < 500 &&
    errorAnswerInferred(spec, e.status ?? 400)
  );
}
