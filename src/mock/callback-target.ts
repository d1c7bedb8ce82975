import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import {
  bareHost as bare,
  classifyAddress,
  internalName,
  loopbackName,
  parseCallbackUrl,
  type AddressClass,
} from '../validate/callback-url.ts';
import { Agent, request } from 'undici';

/** Re-exported: the address rules live in validate/ (validate, cases and the mock share them). */
export { classifyAddress, type AddressClass };

export interface ResolvedTarget {
  url: URL;
  host: string;
  addresses: { address: string; family: number; class: AddressClass }[];
}

/**
 * A callback URL's host as the addresses it names, classified: IP literals as they are, reserved names by name.
 * Other names are looked up only when `resolve` says so (the mock sends only to hosts the user allowed, so it
 * never has to ask a resolver about a name a test or an attacker made up).
 */
export async function resolveTarget(raw: string, resolve = false, timeoutMs = 2000): Promise<ResolvedTarget | string> {
  const parsed = parseCallbackUrl(raw);
  if (typeof parsed === 'string') return parsed;
  const { url, host } = parsed;
  if (ipaddr.isValid(host))
    return {
      url,
      host,
      addresses: [{ address: host, family: host.includes(':') ? 6 : 4, class: classifyAddress(host) }],
    };
  if (loopbackName(host)) return { url, host, addresses: [{ address: '127.0.0.1', family: 4, class: 'loopback' }] };
  if (internalName(host)) return { url, host, addresses: [{ address: host, family: 0, class: 'internal' }] };
  if (!resolve) return { url, host, addresses: [] };
  try {
    const found = await Promise.race([
      lookup(host, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('DNS timeout')), timeoutMs).unref()),
    ]);
    return { url, host, addresses: found.map((a) => ({ ...a, class: classifyAddress(a.address) })) };
  } catch (err) {
    return { url, host, addresses: [], ...{ unresolved: (err as Error).message } };
  }
}

export interface OutboundPolicy {
  /** host names the user allows the mock to call back (--callback-allow); loopback is always allowed */
  allow?: string[];
  /** per-callback deadline (ms) */
  timeoutMs: number;
  /** the most response bytes read back (default 64 KiB) */
  maxResponseBytes?: number;
}

/**
 * The mock's own rule, whatever a provider allows: it calls out only to loopback or to hosts the user named,
 * never to link-local (cloud metadata) addresses, to the address it resolved (pinned: no second lookup a
 * rebinding DNS could change), without following redirects, within a deadline and a size cap.
 */
export async function postCallback(
  raw: string,
  body: unknown,
  policy: OutboundPolicy,
): Promise<{ status?: number; error?: string; blocked?: string }> {
  const allowedName = (() => {
    try {
      return (policy.allow ?? []).map(bare).includes(bare(new URL(raw).hostname));
    } catch {
      return false;
    }
  })();
  const target = await resolveTarget(raw, allowedName);
  if (typeof target === 'string') return { blocked: target };
  const pick = target.addresses.find((a) => a.class === 'loopback' || (allowedName && a.class !== 'link-local'));
  if (!pick) {
    const seen = target.addresses.map((a) => `${a.address} (${a.class})`).join(', ') || 'no address';
    return {
      blocked: `the mock calls back only to loopback or hosts named by --callback-allow (${target.host} is ${seen})`,
    };
  }
  const agent = new Agent({
    connect: {
      timeout: policy.timeoutMs,
      lookup: (_h: string, _o: unknown, cb: (err: null, address: string, family: number) => void) =>
        cb(null, pick.address, pick.family),
    },
  });
  try {
    const res = await request(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      dispatcher: agent,
      signal: AbortSignal.timeout(policy.timeoutMs),
    });
    await res.body.dump({ limit: policy.maxResponseBytes ?? 64 * 1024 });
    return { status: res.statusCode };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    void agent.close();
  }
}
