import { bareHost as bare, classifyAddress, type AddressClass } from '../validate/callback-url.ts';
import { pinnedLookup, resolveTarget, type ResolvedTarget } from '../validate/outbound-address.ts';
import { Agent, request } from 'undici';
import type { CallbackDelivery } from './callback-delivery.ts';

/** Re-exported: the address rules live in validate/ (validate, cases, the mock and the runner share them). */
export { classifyAddress, resolveTarget, type AddressClass, type ResolvedTarget };

export interface OutboundPolicy {
  /** host names the user allows the mock to call back (--callback-allow); loopback is always allowed */
  allow?: string[];
  /** per-callback deadline (ms) */
  timeoutMs: number;
  /** the most response bytes read back (default 64 KiB) */
  maxResponseBytes?: number;
  /** ends the attempt early (the mock's clock reached the deadline, or the mock is stopping) */
  signal?: AbortSignal;
}

/** What one POST got back: the receiver's answer (headers and the first bytes of its body), or why there was none. */
export interface CallbackAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  error?: string;
  blocked?: string;
}

/**
 * The mock's own rule, whatever a provider allows: it calls out only to loopback or to hosts the user named,
 * never to link-local (cloud metadata) addresses, to the address it resolved (pinned: no second lookup a
 * rebinding DNS could change), without following redirects, within a deadline and a size cap.
 */
export async function postCallback(
  raw: string,
  delivery: CallbackDelivery,
  policy: OutboundPolicy,
): Promise<CallbackAnswer> {
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
  const agent = new Agent({ connect: { timeout: policy.timeoutMs, lookup: pinnedLookup(pick) } });
  try {
    const res = await request(target.url, {
      method: 'POST',
      headers: { ...delivery.headers, 'content-type': 'application/json' },
      body: delivery.body,
      dispatcher: agent,
      signal: policy.signal
        ? AbortSignal.any([policy.signal, AbortSignal.timeout(policy.timeoutMs)])
        : AbortSignal.timeout(policy.timeoutMs),
    });
    const headers = Object.fromEntries(
      Object.entries(res.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(', ') : (value ?? ''),
      ]),
    );
    return { status: res.statusCode, headers, body: await readCapped(res.body, policy.maxResponseBytes ?? 64 * 1024) };
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    void agent.close();
  }
}

/** The first `limit` bytes of a body as text; the rest is not read (the stream is closed). */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk.subarray(0, limit - size));
    size += Math.min(chunk.length, limit - size);
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
