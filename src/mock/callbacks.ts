import { classifyHost, unconfiguredWebhook } from '../validate/callback-url.ts';
import type { MockState } from './mock-state.ts';

/** One delivery attempt as /__mock/callbacks lists it. */
export interface CallbackRecord {
  url: string;
  body: unknown;
  /** the headers sent besides content-type (a signed delivery's id, timestamp and signature) */
  headers?: Record<string, string>;
  status?: number;
  error?: string;
  /** not sent: the mock's outbound policy refused the target */
  blocked?: string;
  /** the event this attempt carries: the same id on every attempt */
  eventId?: string;
  type?: string;
  /** 1 for the first delivery, 2 for the first redelivery… */
  attempt?: number;
  /** when it was sent, on the mock's clock (ms) */
  at?: number;
  /** no answer within the documented timeout */
  timedOut?: boolean;
  /** the attempt failed and the next is due then, on the mock's clock (ms) */
  nextAttemptAt?: number;
  /** the event's later attempts were given up (the bound on pending deliveries, or the mock stopping) */
  abandoned?: string;
}

/** The most attempts /__mock/callbacks keeps (the oldest dropped first). */
export const CALLBACK_RECORD_LIMIT = 1000;

/** Keeps an attempt's record for /__mock/callbacks, within its bound. */
export function keepRecord(state: MockState, record: CallbackRecord): void {
  state.callbacks.push(record);
  if (state.callbacks.length > CALLBACK_RECORD_LIMIT) state.callbacks.shift();
}

/** True for a URL whose host is a loopback address or name (literal: no DNS). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return classifyHost(new URL(url).hostname) === 'loopback';
  } catch {
    return false;
  }
}

/**
 * The account's default callback URL, where the documents say a request without a callback URL is called back there
 * (`callbacks.accountDefault`) and the account's webhooks are configured (`requiresConfiguredWebhook`: the mock's
 * --callback-default, and --callback-secret where a secret is needed); otherwise undefined (no callback).
 */
export function accountCallbackUrl(state: MockState): string | undefined {
  if (!state.spec.x.callbacks?.accountDefault || !state.options.callbackDefault) return undefined;
  return unconfiguredWebhook(state.spec, state.options) ? undefined : state.options.callbackDefault;
}
