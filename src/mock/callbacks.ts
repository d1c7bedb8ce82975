import { isIP } from 'node:net';
import type { ProviderSpec } from '../spec/model.ts';

/** Checks a callback URL against what the provider documents (HTTPS only, no internal addresses). */
export function callbackUrlProblem(spec: ProviderSpec, url: string, allowLoopback: boolean): string | undefined {
  const rules = spec.x.callbacks;
  if (!rules) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'callback_url is not a valid URL';
  }
  const loopback = isLoopback(parsed.hostname);
  if (allowLoopback && loopback) return undefined;
  if (rules.httpsOnly && parsed.protocol !== 'https:') return 'callback_url must use HTTPS';
  if (rules.forbidInternal && (loopback || isInternal(parsed.hostname))) return 'callback_url must not point at an internal address';
  return undefined;
}

export interface CallbackRecord {
  url: string;
  body: unknown;
  status?: number;
  error?: string;
}

/** POSTs the task's final state to the callback URL, within the documented timeout. Never throws. */
export async function sendCallback(url: string, body: unknown, timeoutSeconds = 10): Promise<CallbackRecord> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    await response.arrayBuffer();
    return { url, body, status: response.status };
  } catch (err) {
    return { url, body, error: (err as Error).message };
  }
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopback(new URL(url).hostname);
  } catch {
    return false;
  }
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || h.startsWith('127.');
}

function isInternal(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h.endsWith('.local') || h.endsWith('.internal')) return true;
  if (isIP(h) === 4) {
    const [a, b] = h.split('.').map(Number) as [number, number];
    return a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (isIP(h) === 6) return /^f[cd]|^fe80/i.test(h);
  return false;
}
