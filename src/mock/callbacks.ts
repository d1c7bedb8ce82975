import { classifyHost } from '../validate/callback-url.ts';
import { postCallback } from './callback-target.ts';

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
export async function sendCallback(
  url: string,
  body: unknown,
  timeoutSeconds = 10,
  allow: string[] = [],
): Promise<CallbackRecord> {
  const result = await postCallback(url, body, {
    allow,
    timeoutMs: Math.min(timeoutSeconds * 1000, MAX_CALLBACK_TIMEOUT_MS),
  });
  return { url, body, ...result };
}

/** True for a URL whose host is a loopback address or name (literal: no DNS). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return classifyHost(new URL(url).hostname) === 'loopback';
  } catch {
    return false;
  }
}
