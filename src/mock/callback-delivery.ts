import { createHmac, randomBytes } from 'node:crypto';
import { getAt } from '../core/json-pointer.ts';
import type { CallbackEvent, CallbackSignature } from '../spec/callback-model.ts';
import type { MockState } from './mock-state.ts';
import type { MockTask } from './task-store.ts';
import { renderPoll, taskValues } from './task-view.ts';
import { compileTemplate } from './render-template.ts';

/** One callback POST as it goes on the wire: the raw body and the headers besides content-type. */
export interface CallbackDelivery {
  body: string;
  headers: Record<string, string>;
}

/** An event made once and sent as often as it takes: its id and its body are the same on every attempt. */
export interface PreparedEvent {
  id: string;
  /** the documented event's name (absent where the body is the poll body) */
  type?: string;
  body: string;
  /** the task it reports (none for a test event) */
  taskId?: string;
}

const newEventId = (state: MockState) =>
  `${state.spec.x.callbacks?.signature?.eventId?.prefix ?? 'evt_'}${randomBytes(12).toString('hex')}`;

/** The event's own placeholders, then `fallback`'s (a test event has none: it concerns no task). */
function eventValues(id: string, event: CallbackEvent | undefined, now: number, fallback?: (path: string) => unknown) {
  return (path: string): unknown =>
    path === 'event.id'
      ? id
      : path === 'event.type'
        ? event?.type
        : path === 'event.createdAt'
          ? Math.floor(now / 1000)
          : fallback?.(path);
}

/**
 * What the mock POSTs when a task ends: the documented event body (`callbacks.payload`) or the poll body (the part
 * at `payloadPointer`).
 */
export function taskEvent(state: MockState, task: MockTask): PreparedEvent {
  const callbacks = state.spec.x.callbacks;
  const id = newEventId(state);
  const event = task.phase === 'failed' ? callbacks?.payload?.events.failed : callbacks?.payload?.events.succeeded;
  const pointer = callbacks?.payloadPointer;
  const payload = event
    ? compileTemplate(event.body)(eventValues(id, event, state.clock.now(), taskValues(state, task)))
    : pointer
      ? getAt(renderPoll(state, task), pointer)
      : renderPoll(state, task);
  return { id, type: event?.type, body: JSON.stringify(payload), taskId: task.id };
}

/** The documented test event (`callbacks.payload.events.test`, ToAPIs' `endpoint.test`), or undefined. */
export function testEvent(state: MockState): PreparedEvent | undefined {
  const event = state.spec.x.callbacks?.payload?.events.test;
  if (!event) return undefined;
  const id = newEventId(state);
  return {
    id,
    type: event.type,
    body: JSON.stringify(compileTemplate(event.body)(eventValues(id, event, state.clock.now()))),
  };
}

/**
 * The event as sent at `at` (ms), signed as `callbacks.signature` documents where the account has a webhook secret:
 * with the previous secret's value as well while `signature.rotation` says both are sent (counted from the mock's
 * start, when its previous secret was rotated out).
 */
export function signedDelivery(state: MockState, event: PreparedEvent, at: number): CallbackDelivery {
  const signature = state.spec.x.callbacks?.signature;
  const { callbackSecret: secret, callbackPreviousSecret: previous } = state.options;
  if (!signature || !secret) return { body: event.body, headers: {} };
  const rotation = signature.rotation;
  const both = previous && rotation && at - state.startedAt < rotation.overlapSeconds * 1000;
  return {
    body: event.body,
    headers: signatureHeaders(signature, both ? [secret, previous] : [secret], {
      id: event.id,
      timestamp: at,
      body: event.body,
    }),
  };
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
 * an HMAC with each secret (the current one first) over the documented signed bytes (`{{id}}`, `{{timestamp}}`,
 * `{{body}}` filled in), the values joined by the rotation's separator.
 */
export function signatureHeaders(
  signature: CallbackSignature,
  secrets: string[],
  event: { id: string; timestamp: number; body: string },
): Record<string, string> {
  const timestamp = timestampText(signature, event.timestamp);
  const fields: Record<string, string> = { id: event.id, timestamp, body: event.body };
  const signed = signature.signedBytes.replace(/\{\{(id|timestamp|body)\}\}/g, (_, name: string) => fields[name]!);
  const value = (secret: string) => {
    const digest = createHmac(hashOf(signature.algorithm), secret).update(signed, 'utf8').digest();
    return signature.value.replace(/\{\{(hex|base64)\}\}/, (_, enc: 'hex' | 'base64') => digest.toString(enc));
  };
  return {
    ...(signature.idHeader ? { [signature.idHeader.toLowerCase()]: event.id } : {}),
    ...(signature.timestampHeader ? { [signature.timestampHeader.toLowerCase()]: timestamp } : {}),
    [signature.header.toLowerCase()]: secrets.map(value).join(signature.rotation?.separator ?? ','),
  };
}

/** HMAC-SHA256 → sha256 (the names node:crypto knows) */
const hashOf = (algorithm: CallbackSignature['algorithm']) =>
  algorithm.slice('HMAC-'.length).replace('-', '').toLowerCase();
