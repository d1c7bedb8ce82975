import { createHmac, randomBytes } from 'node:crypto';
import { getAt } from '../core/json-pointer.ts';
import type { CallbackSignature } from '../spec/model.ts';
import type { MockState } from './mock-state.ts';
import type { MockTask } from './task-store.ts';
import { renderPoll, taskValues } from './task-view.ts';
import { compileTemplate } from './render-template.ts';

/** One callback POST as it goes on the wire: the raw body and the headers besides content-type. */
export interface CallbackDelivery {
  body: string;
  headers: Record<string, string>;
}

/**
 * What the mock POSTs when a task ends: the documented event body (`callbacks.payload`) or the poll body (the part
 * at `payloadPointer`), signed as `callbacks.signature` documents where the account has a webhook secret.
 */
export function callbackDelivery(state: MockState, task: MockTask): CallbackDelivery {
  const callbacks = state.spec.x.callbacks;
  const eventId = `${callbacks?.signature?.eventId?.prefix ?? 'evt_'}${randomBytes(12).toString('hex')}`;
  const now = state.clock.now();
  const event = task.phase === 'failed' ? callbacks?.payload?.events.failed : callbacks?.payload?.events.succeeded;
  const values = taskValues(state, task);
  const eventValues = (path: string): unknown =>
    path === 'event.id'
      ? eventId
      : path === 'event.type'
        ? event?.type
        : path === 'event.createdAt'
          ? Math.floor(now / 1000)
          : values(path);
  const pointer = callbacks?.payloadPointer;
  const payload = event
    ? compileTemplate(event.body)(eventValues)
    : pointer
      ? getAt(renderPoll(state, task), pointer)
      : renderPoll(state, task);
  const body = JSON.stringify(payload);
  const secret = state.options.callbackSecret;
  const signature = callbacks?.signature;
  if (!signature || !secret) return { body, headers: {} };
  return { body, headers: signatureHeaders(signature, secret, { id: eventId, timestamp: now, body }) };
}

/** The timestamp header's text for a time in ms, in the documented format. */
function timestampText(signature: CallbackSignature, ms: number): string {
  switch (signature.timestamp?.format ?? 'unix-seconds') {
    case 'unix-ms':
      return String(ms);
    case 'iso':
      return new Date(ms).toISOString();
    default:
      return String(Math.floor(ms / 1000));
  }
}

/**
 * The headers that sign one delivery: the event id and timestamp headers where documented, and the signature header,
 * an HMAC with the secret over the documented signed bytes (`{{id}}`, `{{timestamp}}`, `{{body}}` filled in).
 */
export function signatureHeaders(
  signature: CallbackSignature,
  secret: string,
  event: { id: string; timestamp: number; body: string },
): Record<string, string> {
  const timestamp = timestampText(signature, event.timestamp);
  const fields: Record<string, string> = { id: event.id, timestamp, body: event.body };
  const signed = signature.signedBytes.replace(/\{\{(id|timestamp|body)\}\}/g, (_, name: string) => fields[name]!);
  const digest = createHmac(hashOf(signature.algorithm), secret).update(signed, 'utf8').digest();
  const value = signature.value.replace(/\{\{(hex|base64)\}\}/, (_, enc: 'hex' | 'base64') => digest.toString(enc));
  return {
    ...(signature.idHeader ? { [signature.idHeader.toLowerCase()]: event.id } : {}),
    ...(signature.timestampHeader ? { [signature.timestampHeader.toLowerCase()]: timestamp } : {}),
    [signature.header.toLowerCase()]: value,
  };
}

/** HMAC-SHA256 → sha256 (the names node:crypto knows) */
const hashOf = (algorithm: CallbackSignature['algorithm']) =>
  algorithm.slice('HMAC-'.length).replace('-', '').toLowerCase();
