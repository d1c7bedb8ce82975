import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import {
  classifyAddress,
  dialClass,
  internalName,
  loopbackName,
  parseCallbackUrl,
  type AddressClass,
} from './callback-url.ts';

/**
 * One address policy for everything the harness dials on a peer's say-so (the mock's callbacks, the runner's result
 * downloads): the host is resolved once, each address classified as it is dialed (dialClass), the caller's rule
 * picks one, and the connection is pinned to it (no second lookup a rebinding DNS could change).
 */
export interface ResolvedTarget {
  url: URL;
  host: string;
  addresses: { address: string; family: number; class: AddressClass }[];
  /** why the name did not resolve */
  unresolved?: string;
}

const entry = (address: string, family: number) => ({ address, family, class: dialClass(address) });

/**
 * A URL's host as the addresses it names, classified: IP literals as they are, reserved names by name (localhost
 * is 127.0.0.1; private suffixes and single-label names are internal). Other names — and any name when `resolve`
 * says so — are looked up only when `resolve` is true (the mock never asks a resolver about a name a test or an
 * attacker made up). A name that does not resolve in `timeoutMs` has no address.
 */
export async function resolveTarget(raw: string, resolve = false, timeoutMs = 2000): Promise<ResolvedTarget | string> {
  const parsed = parseCallbackUrl(raw);
  if (typeof parsed === 'string') return parsed;
  const { url, host } = parsed;
  if (ipaddr.isValid(host)) return { url, host, addresses: [entry(host, host.includes(':') ? 6 : 4)] };
  if (loopbackName(host)) return { url, host, addresses: [entry('127.0.0.1', 4)] };
  if (!resolve)
    return { url, host, addresses: internalName(host) ? [{ address: host, family: 0, class: 'internal' }] : [] };
  try {
    const found = await Promise.race([
      lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('DNS timeout')), timeoutMs).unref()),
    ]);
    return { url, host, addresses: found.map((a) => entry(a.address, a.family)) };
  } catch (err) {
    return { url, host, addresses: [], unresolved: (err as Error).message };
  }
}

type LookupCallback = (err: null, address: string | { address: string; family: number }[], family?: number) => void;

/**
 * A `lookup` for undici's `connect` that answers with the pinned address only. Node asks with `all: true` when it
 * races address families (autoSelectFamily, on by default): it then wants a list.
 */
export function pinnedLookup(pick: { address: string; family: number }) {
  return (_host: string, options: { all?: boolean } | undefined, cb: LookupCallback) =>
    options?.all ? cb(null, [{ address: pick.address, family: pick.family }]) : cb(null, pick.address, pick.family);
}

/** True for a base URL whose host is a loopback address or name (a local gateway or mock). */
export function isLoopbackBase(baseUrl: string): boolean {
  const parsed = parseCallbackUrl(baseUrl);
  if (typeof parsed === 'string') return false;
  return ipaddr.isValid(parsed.host) ? classifyAddress(parsed.host) === 'loopback' : loopbackName(parsed.host);
}

/**
 * Where the runner may fetch a result link a gateway named: a public address (a CDN on another host is fine), or
 * loopback when the base URL itself is loopback; never private, link-local (169.254.169.254: cloud metadata) or
 * other internal addresses. Returns the address to pin, or why the link is refused.
 */
export async function resultLinkAddress(
  link: string,
  baseUrl: string,
): Promise<{ address: string; family: number } | { refused: string }> {
  const target = await resolveTarget(link, true);
  if (typeof target === 'string') return { refused: target.replace('callback_url', 'the result link') };
  const loopbackOk = isLoopbackBase(baseUrl);
  const pick = target.addresses.find((a) => a.class === 'public' || (loopbackOk && a.class === 'loopback'));
  if (pick) return pick;
  const seen = target.addresses.map((a) => `${a.address} (${a.class})`).join(', ') || target.unresolved || 'no address';
  return {
    refused:
      `the result link's host ${target.host} is ${seen}: result links are fetched only from public addresses` +
      `${loopbackOk ? ' or loopback' : ' (loopback only when the base URL is loopback)'}`,
  };
}
