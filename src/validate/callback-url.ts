import ipaddr from 'ipaddr.js';
import { getAt } from '../core/json-pointer.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { CallbackUrlRule } from '../spec/callback-model.ts';

/**
 * Callback URLs decided on addresses, never on spelling: `[::ffff:7f00:1]`, `localhost.` and
 * `64:ff9b::a9fe:a9fe` are the loopback and metadata addresses they encode. ipaddr.js classifies (IPv4, IPv6,
 * IPv4-mapped); NAT64 (RFC 6052) and 6to4 addresses are judged by the IPv4 address they carry. Shared by
 * `validate`, the boundary cases and the mock (which decides again, on resolved addresses, when it sends).
 */
export type AddressClass = 'public' | 'loopback' | 'link-local' | 'internal';

export function classifyAddress(address: string): AddressClass {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address);
  } catch {
    return 'internal';
  }
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    const range = v6.range();
    const carried = carriedIPv4(v6);
    if (carried) return classifyAddress(carried);
    if (range === 'loopback') return 'loopback';
    if (range === 'linkLocal') return 'link-local';
    return range === 'unicast' ? 'public' : 'internal';
  }
  const range = ip.range();
  if (range === 'loopback') return 'loopback';
  if (range === 'linkLocal') return 'link-local';
  return range === 'unicast' ? 'public' : 'internal';
}

/**
 * The IPv4 address an IPv6 address carries by translation (NAT64 RFC 6052, SIIT RFC 6145, 6to4, and the deprecated
 * IPv4-compatible ::a.b.c.d): judged by that IPv4 address, but never dialed as it (on the wire it goes to a
 * translator, not to the host the IPv4 address names).
 */
function carriedIPv4(v6: ipaddr.IPv6): string | undefined {
  const range = v6.range();
  const bytes = v6.toByteArray();
  if (range === 'rfc6052' || range === 'rfc6145') return bytes.slice(12).join('.');
  if (range === '6to4') return bytes.slice(2, 6).join('.');
  // ::/96 beside :: and ::1 (those are unspecified and loopback in their own right)
  if (bytes.slice(0, 12).every((b) => b === 0) && range !== 'loopback' && range !== 'unspecified')
    return bytes.slice(12).join('.');
  return undefined;
}

/**
 * The class of an address as it is dialed: a translated IPv6 address that carries a loopback, private or
 * link-local IPv4 address is `internal` (the mock must not treat `64:ff9b::7f00:1` as its own loopback).
 */
export function dialClass(address: string): AddressClass {
  const cls = classifyAddress(address);
  if (cls === 'public') return cls;
  try {
    const ip = ipaddr.process(address);
    return ip.kind() === 'ipv6' && carriedIPv4(ip as ipaddr.IPv6) ? 'internal' : cls;
  } catch {
    return 'internal';
  }
}

/** A host name, unbracketed and without the trailing root dot. */
export const bareHost = (host: string) =>
  host
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
/** RFC 6761: localhost and *.localhost are loopback by name, whatever a resolver says. */
export const loopbackName = (host: string) => host === 'localhost' || host.endsWith('.localhost');
/**
 * Names reserved for private networks (mDNS, RFC 8375, common internal suffixes), and single-label names (they
 * resolve only through /etc/hosts or a search domain: `metadata`, `instance-data`): internal without a lookup.
 */
export const internalName = (host: string) =>
  /(^|\.)(local|internal|home\.arpa|lan|intranet|corp)$/.test(host) || !host.includes('.');

/** Characters of every spelling ipaddr.js reads as an address: dotted, hex (0x7f.1), octal, IPv6, zone ids. */
const ADDRESS_CHARS = /^[\d.a-fx:]+(%.*)?$/i;

/** The class of a URL's host from its spelling alone (literal addresses, reserved names); undefined for other names. */
export function classifyHost(host: string): AddressClass | undefined {
  const h = bareHost(host);
  // only a name made of address characters can be one (ipaddr.js throws, and builds a stack, on every other name:
  // a quarter of the mock's time per create with a callback URL)
  if (ADDRESS_CHARS.test(h) && ipaddr.isValid(h)) return classifyAddress(h);
  if (loopbackName(h)) return 'loopback';
  if (internalName(h)) return 'internal';
  return undefined;
}

/** An http(s) URL with a host, or why it is not one. */
export function parseCallbackUrl(raw: string): { url: URL; host: string } | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'callback_url is not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'callback_url must be an http(s) URL';
  const host = bareHost(url.hostname);
  return host ? { url, host } : 'callback_url has no host';
}

/**
 * A callback URL against what the provider documents (HTTPS only, no internal addresses). `allowLoopback` lifts
 * both rules for loopback receivers (tests). Names other than reserved ones are not looked up here.
 */
export function callbackUrlProblem(spec: ProviderSpec, url: string, allowLoopback = false): string | undefined {
  const rules = spec.x.callbacks;
  if (!rules) return undefined;
  const target = parseCallbackUrl(url);
  if (typeof target === 'string') return target;
  const { url: parsed, host } = target;
  const cls = classifyHost(host);
  if (allowLoopback && cls === 'loopback') return undefined;
  if (rules.httpsOnly && parsed.protocol !== 'https:') return 'callback_url must use HTTPS';
  if (rules.forbidInternal && cls && cls !== 'public')
    return `callback_url must not point at an internal address (${host} is ${cls})`;
  return undefined;
}

/** A broken documented rule on a callback URL's parts: which rule, why, and whether the rule is our reading. */
export interface UrlRuleProblem {
  rule: CallbackUrlRule['rule'];
  message: string;
  /** why the rule is our reading (a finding to warn about, not to fail on, unless --strict) */
  inferred?: string;
}

/** What the account has configured that a rule compares with (the default callback URL). */
export interface CallbackContext {
  callbackDefault?: string;
}

const effectivePort = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');

/** One rule on a parsed URL: the reason it breaks it, or undefined (also when the rule cannot be judged here). */
function breaks(rule: CallbackUrlRule, url: URL, context: CallbackContext): string | undefined {
  switch (rule.rule) {
    case 'no-userinfo':
      return url.username || url.password ? 'callback_url must not contain userinfo (user:password@)' : undefined;
    case 'no-fragment':
      // WHATWG serialises a fragment whenever one was given, even an empty `#`
      return url.href.includes('#') ? 'callback_url must not contain a fragment (#…)' : undefined;
    case 'legal-port':
      return url.port !== '' && (rule.badPorts ?? []).includes(Number(url.port))
        ? `callback_url must not use port ${url.port} (an illegal port)`
        : undefined;
    case 'same-origin': {
      const origin = context.callbackDefault ? parseCallbackUrl(context.callbackDefault) : undefined;
      if (!origin || typeof origin === 'string') return undefined;
      const d = origin.url;
      const same =
        d.protocol === url.protocol &&
        bareHost(d.hostname) === bareHost(url.hostname) &&
        effectivePort(d) === effectivePort(url);
      return same
        ? undefined
        : `callback_url must keep the scheme, host and port of ${rule.origin ?? 'the default callback URL'} ` +
            `(${d.protocol}//${d.host}; got ${url.protocol}//${url.host})`;
    }
  }
}

/**
 * A callback URL against the spec's documented rules on its parts (userinfo, fragment, port, origin): one problem
 * per broken rule. A same-origin rule is judged only when the context names the default URL.
 */
export function callbackUrlRuleProblems(
  spec: ProviderSpec,
  raw: string,
  context: CallbackContext = {},
): UrlRuleProblem[] {
  const rules = spec.x.callbacks?.urlRules ?? [];
  const target = rules.length ? parseCallbackUrl(raw) : undefined;
  if (!target || typeof target === 'string') return [];
  return rules.flatMap((rule) => {
    const message = breaks(rule, target.url, context);
    return message ? [{ rule: rule.rule, message, ...(rule.inferred ? { inferred: rule.inferred } : {}) }] : [];
  });
}

/** The spec's rules on a body's callback URL that need what the account configured and cannot be judged without it. */
export function unjudgedUrlRules(spec: ProviderSpec, body: unknown, context: CallbackContext): CallbackUrlRule[] {
  const field = spec.x.callbacks?.field;
  if (!field || typeof getAt(body, field) !== 'string' || context.callbackDefault) return [];
  return (spec.x.callbacks?.urlRules ?? []).filter((r) => r.rule === 'same-origin');
}

/** The account's webhook settings a documented precondition asks for (the mock's Token: its options). */
export interface WebhookSettings {
  callbackDefault?: string;
  callbackSecret?: string;
}

/** A request refused because the account's webhooks are not configured: the documented answer and what is missing. */
export interface WebhookNotConfigured {
  status: number;
  code: string | number;
  /** the settings the account lacks, in the spec's words (default-url, secret) */
  missing: ('default-url' | 'secret')[];
}

/**
 * Where the documents say a callback URL in a request is refused unless the account has webhook settings (a default
 * URL, a secret): the refusal any callback URL gets from an account with these settings, or undefined.
 */
export function unconfiguredWebhook(spec: ProviderSpec, settings: WebhookSettings): WebhookNotConfigured | undefined {
  const rule = spec.x.callbacks?.field ? spec.x.callbacks.requiresConfiguredWebhook : undefined;
  if (!rule) return undefined;
  const has = { 'default-url': Boolean(settings.callbackDefault), secret: Boolean(settings.callbackSecret) };
  const missing = rule.needs.filter((n) => !has[n]);
  return missing.length ? { status: rule.status, code: rule.code, missing } : undefined;
}

/** The refusal of a request body that carries the callback field, from an account without the webhook settings. */
export function webhookNotConfigured(
  spec: ProviderSpec,
  body: unknown,
  settings: WebhookSettings,
): WebhookNotConfigured | undefined {
  const field = spec.x.callbacks?.field;
  return field && getAt(body, field) !== undefined ? unconfiguredWebhook(spec, settings) : undefined;
}
