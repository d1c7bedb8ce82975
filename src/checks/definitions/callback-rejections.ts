import { setAt } from '../../core/json-pointer.ts';
import {
  callbackUrlCases,
  unconfiguredWebhookCase,
  type CallbackAccount,
  type CallbackUrlCase,
} from '../../cases/callback-url-cases.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { Breaker } from '../breakers.ts';
import { exampleBody } from '../probes/request-bodies.ts';
import { observeCreate, type RequestObservation } from '../probes/request-probes.ts';
import { sourceText } from '../sources.ts';
import type { CheckContext, CheckDefinition } from '../types.ts';
import { notAvailable } from './defaults.ts';
import { evaluateRejection } from './rejection-verdict.ts';
import { passDefaultUrl } from '../../validate/webhook-settings.ts';

type CaseRule = CallbackUrlCase['rule'];

/** What a callback check saw: the case sent and the answer, or why no case could be made on this account. */
export type CallbackObservation = { case: CallbackUrlCase; sent: RequestObservation } | { notSent: string };

const RULE_WORDS: Record<CaseRule, string> = {
  'no-userinfo': 'with userinfo (user:password@)',
  'no-fragment': 'with a fragment (#…)',
  'legal-port': 'on a refused port',
  'same-origin': "off the origin of the account's default callback URL",
  'webhook-not-configured': 'from an account without webhook settings',
};

/** The case of one rule on the run's account, or why there is none. */
function caseOf(spec: ProviderSpec, rule: CaseRule, account: CallbackAccount): CallbackUrlCase | string {
  if (rule === 'webhook-not-configured')
    return (
      unconfiguredWebhookCase(spec, account) ??
      "the account's default callback URL was given (--callback-default): its webhooks count as configured"
    );
  const { cases, unjudged } = callbackUrlCases(spec, account);
  const made = cases.find((c) => c.rule === rule);
  if (made) return made;
  const why = unjudged.find((u) => u.rule === rule)?.why ?? 'no case';
  return `${why}: ${passDefaultUrl(spec)}`;
}

/** The documented example with the callback field set to the case's URL. */
function bodyOf(spec: ProviderSpec, c: CallbackUrlCase): Record<string, unknown> {
  const body = exampleBody(spec);
  setAt(body, spec.x.callbacks!.field!, c.url);
  return body;
}

/** Rules this provider documents (its callbacks.urlRules, and the refusal without webhook settings). */
function documentedRules(spec: ProviderSpec): CaseRule[] {
  const cb = spec.x.callbacks;
  if (!cb?.field) return [];
  return [
    ...(cb.urlRules ?? []).map((r) => r.rule),
    ...(cb.requiresConfiguredWebhook ? ['webhook-not-configured' as const] : []),
  ];
}

/**
 * A gateway that ignores the callback field (accepts the body without it); where the rule is one the request schema
 * states without the account's settings, also one that accepts what the schema refuses.
 */
function breakersOf(spec: ProviderSpec, rule: CaseRule): Breaker[] {
  const ignores: Breaker = { gateway: 'drops-fields', pointers: [spec.x.callbacks!.field!] };
  return rule === 'same-origin' || rule === 'webhook-not-configured'
    ? [ignores]
    : [{ gateway: 'accepts-invalid' }, ignores];
}

function callbackCheck(rule: CaseRule): CheckDefinition<CallbackObservation> {
  const id = `reject.callback.${rule}`;
  return {
    id,
    family: 'reject',
    title: `a callback URL ${RULE_WORDS[rule]} gets the documented refusal`,
    cost: 'risky',
    target: 'any',
    webhook: rule === 'same-origin' ? 'configured' : rule === 'webhook-not-configured' ? 'unconfigured' : undefined,
    notApplicable: (spec) =>
      notAvailable(spec) ?? (documentedRules(spec).includes(rule) ? undefined : 'not documented'),
    probe: async (ctx: CheckContext) => {
      const c = caseOf(ctx.spec, rule, { callbackDefault: ctx.callbackDefault });
      if (typeof c === 'string') return { notSent: c };
      return { case: c, sent: await observeCreate(ctx, id, bodyOf(ctx.spec, c)) };
    },
    evaluate: (spec, obs) => {
      if ('notSent' in obs) return { status: 'skip', message: obs.notSent };
      const c = obs.case;
      const verdict = evaluateRejection(spec, obs.sent, {
        status: c.status,
        source: sourceText(spec, c.source),
        inferred: Boolean(c.inferred),
        ...(c.code !== undefined ? { code: { value: c.code, source: c.source } } : {}),
      });
      // a rule that is our reading can only warn: every finding of its case rests on it (a task made for it too)
      const findings = c.inferred ? verdict.findings?.map((f) => ({ ...f, inferred: true })) : verdict.findings;
      return { ...verdict, findings, message: `${c.url} (${c.note}): ${verdict.message}` };
    },
    breakers: (spec) => breakersOf(spec, rule),
  };
}

const RULES: CaseRule[] = ['no-userinfo', 'no-fragment', 'legal-port', 'same-origin', 'webhook-not-configured'];

/** reject.callback.<rule> for each documented callback URL rule of this provider. */
export const callbackRejectionChecks = (spec: ProviderSpec): CheckDefinition<CallbackObservation>[] =>
  RULES.filter((r) => documentedRules(spec).includes(r)).map(callbackCheck);

/** The template, for docs/checks.md (expanded per provider from its callbacks.urlRules). */
export const callbackRejectionTemplate = {
  id: 'reject.callback.<rule>',
  title:
    'a callback URL that breaks a documented rule (userinfo, fragment, refused port, another origin than the ' +
    "account's default URL; or any, from an account without webhook settings) gets the documented refusal",
};
