import type { AuthVariant } from '../../client/auth-header.ts';
import { authConditions, expectedAuthAnswers } from '../../spec/auth.ts';
import type { AuthConditionName } from '../../spec/auth-model.ts';
import { sourceText } from '../sources.ts';
import { exampleBody } from '../probes/request-bodies.ts';
import { observeCreate, type RequestObservation } from '../probes/request-probes.ts';
import type { CheckDefinition, Verdict } from '../types.ts';
import { evaluateRejection } from './rejection-verdict.ts';

/** One check per documented way to fail authentication; what each is answered with comes from the spec. */
const CONDITIONS: { id: string; condition: AuthConditionName; title: string }[] = [
  {
    id: 'auth.missing_key',
    condition: 'missing',
    title: 'a create without the auth header gets the documented answer and creates no task',
  },
  {
    id: 'auth.invalid_key',
    condition: 'wrongKey',
    title: 'a create with a wrong key (or a token signed with a wrong secret) gets the documented answer',
  },
  {
    id: 'auth.malformed',
    condition: 'malformed',
    title: 'a credential without the documented prefix, or a raw access key where a token belongs, is refused',
  },
  { id: 'auth.expired', condition: 'expired', title: 'an expired token gets the documented answer' },
  {
    id: 'auth.not_yet_valid',
    condition: 'notYetValid',
    title: 'a token used before its nbf gets the documented answer',
  },
];

export const authChecks: CheckDefinition<RequestObservation>[] = CONDITIONS.map(({ id, condition, title }) => ({
  id,
  family: 'auth',
  title,
  cost: 'free',
  target: 'any',
  notApplicable: (spec) =>
    authConditions(spec).includes(condition)
      ? undefined
      : `no ${condition} condition exists under this auth scheme ` +
        `(${spec.x.auth.credential.kind}, prefix "${spec.x.auth.prefix}")`,
  probe: (ctx) => observeCreate(ctx, id, exampleBody(ctx.spec), { auth: condition satisfies AuthVariant }),
  // a gateway that lets every create through: it sends a valid credential on the client's behalf
  breakers: () => [{ gateway: 'adds-credential', operations: ['create'] }],
  evaluate: (spec, obs) => {
    // a condition with its own documented code (Kling's 1004) is judged on it; otherwise on every code the
    // documents give for the status (competing claims included: a gateway following another claim passes)
    const [first, ...others] = expectedAuthAnswers(spec, condition).map((answer, i) => {
      const code = i === 0 ? spec.x.auth.conditions?.[condition]?.code : answer.code;
      const claim = code === undefined ? undefined : { value: code, inferred: answer.inferred, source: answer.source };
      return evaluateRejection(spec, obs, {
        status: answer.status,
        source: sourceText(spec, answer.source),
        inferred: answer.inferred,
        code: claim,
      });
    });
    // where the documents disagree on the answer (guide vs error table), following any of them passes
    const followed = first!.status === 'pass' ? undefined : others.find((v) => v.status === 'pass');
    if (!followed) return acceptanceFails(first!);
    return {
      ...followed,
      findings: [
        ...(followed.findings ?? []),
        { kind: 'claim-followed', message: `answered as ${followed.source} says`, matches: [followed.source ?? ''] },
      ],
    };
  },
}));

/**
 * Authentication itself is documented (only the exact answer may be our reading): letting the request through is a
 * failure, never a warning.
 */
function acceptanceFails(verdict: Verdict): Verdict {
  return {
    ...verdict,
    findings: verdict.findings?.map((f) => (f.kind === 'accepted-invalid' ? { ...f, inferred: undefined } : f)),
  };
}
