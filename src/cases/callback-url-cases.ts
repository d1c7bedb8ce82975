import type { ProviderSpec } from '../spec/model.ts';
import type { CallbackUrlRule } from '../spec/callback-model.ts';
import { invalidRequestStatus } from '../spec/operations.ts';

/**
 * One callback URL that breaks one documented rule (or, for `webhook-not-configured`, none: a plain URL sent while
 * the account's webhooks are not configured), with the answer the documents give.
 */
export interface CallbackUrlCase {
  /** the rule broken: a urlRules rule, or webhook-not-configured */
  rule: CallbackUrlRule['rule'] | 'webhook-not-configured';
  url: string;
  note: string;
  status: number;
  /** the documented error code of this refusal, where it has its own */
  code?: string | number;
  /** why the rule is our reading: a case that can only warn */
  inferred?: string;
  source: CallbackUrlRule['source'];
}

/** What the run knows of the account: its default callback URL (given: its webhooks are configured). */
export interface CallbackAccount {
  callbackDefault?: string;
}

/** Hosts that are nobody's callback receiver (RFC 2606): the stand-in origin, and another one. */
const STAND_IN = 'https://example.com';
const OTHER_HOSTS = ['example.net', 'example.org'];

/**
 * The origin the cases keep (so each breaks only its own rule): the account's default callback URL's, else a
 * stand-in. Path and query are the ones a request may change.
 */
function originOf(account: CallbackAccount): URL {
  try {
    if (account.callbackDefault) return new URL(new URL(account.callbackDefault).origin);
  } catch {
    // an unreadable default: the stand-in (the run refuses one at its flag)
  }
  return new URL(STAND_IN);
}

/** A URL of `origin` with this path and these parts changed. */
function variant(origin: URL, edit: (u: URL) => void): string {
  const u = new URL('/kc-hook', origin);
  edit(u);
  return u.href;
}

/** The case that breaks a rule, or why there is none on this account (the rule needs what it has not said). */
function breakRule(
  rule: CallbackUrlRule,
  origin: URL,
  account: CallbackAccount,
): Omit<CallbackUrlCase, 'status' | 'source' | 'rule'> | string {
  switch (rule.rule) {
    case 'no-userinfo':
      return {
        url: variant(origin, (u) => {
          u.username = 'kc-user';
          u.password = 'kc-pass';
        }),
        note: 'userinfo (user:password@) in the callback URL',
      };
    case 'no-fragment':
      return { url: variant(origin, (u) => (u.hash = 'kc-fragment')), note: 'a fragment (#…) in the callback URL' };
    case 'legal-port': {
      const port = (rule.badPorts ?? []).find((p) => p > 0 && String(p) !== origin.port);
      if (port === undefined) return 'no refused port is listed';
      return { url: variant(origin, (u) => (u.port = String(port))), note: `the refused port ${port}` };
    }
    case 'same-origin': {
      if (!account.callbackDefault) return `needs ${rule.origin ?? "the account's default callback URL"}`;
      const host = OTHER_HOSTS.find((h) => h !== origin.hostname)!;
      return {
        url: variant(origin, (u) => (u.hostname = host)),
        note: `another host (${host}) than the default URL's`,
      };
    }
  }
}

/**
 * From the spec's callbacks.urlRules: one case per documented rule, breaking that rule alone where it can (a port
 * also changes the origin where the same-origin rule holds), each refused with the documented status. Rules that
 * cannot be broken on this account (same-origin without its default URL) are returned as `unjudged` with why.
 */
export function callbackUrlCases(
  spec: ProviderSpec,
  account: CallbackAccount = {},
): { cases: CallbackUrlCase[]; unjudged: { rule: CallbackUrlRule['rule']; why: string }[] } {
  const cb = spec.x.callbacks;
  const out: ReturnType<typeof callbackUrlCases> = { cases: [], unjudged: [] };
  if (!cb?.field) return out;
  const origin = originOf(account);
  for (const rule of cb.urlRules ?? []) {
    const made = breakRule(rule, origin, account);
    if (typeof made === 'string') out.unjudged.push({ rule: rule.rule, why: made });
    else
      out.cases.push({
        rule: rule.rule,
        ...made,
        status: invalidRequestStatus(spec),
        source: rule.source,
        ...(rule.inferred ? { inferred: rule.inferred } : {}),
      });
  }
  return out;
}

/**
 * Where the documents refuse a callback URL unless the account's webhooks are configured: a plain public HTTPS URL
 * sent from an account the run knows nothing configured on (no default callback URL given), refused with the
 * documented status and code. Undefined where that is not documented, or the account's default URL is given.
 */
export function unconfiguredWebhookCase(
  spec: ProviderSpec,
  account: CallbackAccount = {},
): CallbackUrlCase | undefined {
  const required = spec.x.callbacks?.requiresConfiguredWebhook;
  if (!required || !spec.x.callbacks?.field || account.callbackDefault) return undefined;
  return {
    rule: 'webhook-not-configured',
    url: `${STAND_IN}/kc-hook`,
    note: 'a public HTTPS callback URL from an account without webhook settings',
    status: required.status,
    code: required.code,
    source: required.source,
  };
}
