import ipaddr from 'ipaddr.js';
import type { ProviderSpec } from '../spec/model.ts';
import { classifyAddress, postCallback, resolveTarget } from './callback-target.ts';

/**
 * A callback URL against what the provider documents (HTTPS only, no internal addresses), decided on addresses:
 * IPv4-mapped, NAT64, 6to4, CGNAT, link-local, unique-local, unspecified and loopback addresses in any spelling are
 * internal, and so are reserved names (localhost., *.local, *.internal, *.home.arpa). Other names are not looked up
 * here; what the mock actually calls is decided again, on resolved and pinned addresses, when it sends.
 */
export async function callbackUrlProblem(spec: ProviderSpec, url: string, allowLoopback: boolean): Promise<string | undefined> {
  const rules = spec.x.callbacks;
  if (!rules) return undefined;
  const target = await resolveTarget(url);
  if (typeof target === 'string') return target;
  const loopback = target.addresses.length > 0 && target.addresses.every((a) => a.class === 'loopback');
  if (allowLoopback && loopback) return undefined;
  if (rules.httpsOnly && target.url.protocol !== 'https:') return 'callback_url must use HTTPS';
  if (rules.forbidInternal) {
    const internal = target.addresses.find((a) => a.class !== 'public');
    if (internal) return `callback_url must not point at an internal address (${target.host} is ${internal.address}, ${internal.class})`;
  }
  return undefined;
}

export interface CallbackRecord {
  url: string;
  body: unknown;
  status?: number;
  error?: string;
  /** not sent: the mock's outbound policy refused the target */
  blocked?: string;
}

/** The longest the mock waits for a callback receiver, whatever a spec documents. */
const MAX_CALLBACK_TIMEOUT_MS = 30_000;

/** POSTs the task's final state to the callback URL under the mock's outbound policy. Never throws. */
export async function sendCallback(url: string, body: unknown, timeoutSeconds = 10, allow: string[] = []): Promise<CallbackRecord> {
  const result = await postCallback(url, body, { allow, timeoutMs: Math.min(timeoutSeconds * 1000, MAX_CALLBACK_TIMEOUT_MS) });
  return { url, body, ...result };
}

/** True for a URL whose host is a loopback address or name (literal: no DNS). */
export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost')) return true;
    return ipaddr.isValid(host) && classifyAddress(host) === 'loopback';
  } catch {
    return false;
  }
}
