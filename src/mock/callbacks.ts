import { classifyHost } from '../validate/callback-url.ts';
import { postCallback } from './callback-target.ts';
import type { CallbackDelivery } from './callback-delivery.ts';

export interface CallbackRecord {
  url: string;
  body: unknown;
  /** the headers sent besides content-type (a signed delivery's id, timestamp and signature) */
  headers?: Record<string, string>;
  status?: number;
  error?: string;
  /** not sent: the mock's outbound policy refused the target */
  blocked?: string;
}

/** The longest the mock waits for a callback receiver, whatever a spec documents. */
const MAX_CALLBACK_TIMEOUT_MS = 30_000;

/** POSTs the delivery (raw body and headers) to the callback URL under the mock's outbound policy. Never throws. */
export async function sendCallback(
  url: string,
  delivery: CallbackDelivery,
  timeoutSeconds = 10,
  allow: string[] = [],
): Promise<CallbackRecord> {
  const result = await postCallback(url, delivery, {
    allow,
    timeoutMs: Math.min(timeoutSeconds * 1000, MAX_CALLBACK_TIMEOUT_MS),
  });
  const headers = Object.keys(delivery.headers).length ? { headers: delivery.headers } : {};
  return { url, body: JSON.parse(delivery.body) as unknown, ...headers, ...result };
}

/** True for a URL whose host is a loopback address or name (literal: no DNS). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return classifyHost(new URL(url).hostname) === 'loopback';
  } catch {
    return false;
  }
}
