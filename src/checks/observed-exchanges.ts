/** What any observation holds, read the same way for every check: its exchanges and what they measured. */

import { isSuccess } from '../spec/operations.ts';
import type { ProviderSpec } from '../spec/model.ts';

/** An exchange summary as any observation holds it: the request, and what came back. */
export interface ObservedExchange {
  method: string;
  url: string;
  status?: unknown;
  error?: unknown;
  headers?: unknown;
  /** which try of the same request it was, where the probe knows */
  attempt?: unknown;
  requestId?: unknown;
  body?: unknown;
  /** the answers a client's retry loop sent this request again after */
  retried?: unknown;
}

/** Every exchange summary an observation holds, however deep (bounded; each object once). */
export function exchangesIn(observation: unknown): ObservedExchange[] {
  return exchangesWithin(observation).map((e) => e.exchange);
}

/**
 * Every exchange summary an observation holds, each with the summary it sits in, if any (an answer a client's retry
 * loop sent its request again after sits in that request's summary, under `retried`).
 */
export function exchangesWithin(observation: unknown): { exchange: ObservedExchange; within?: ObservedExchange }[] {
  const out: { exchange: ObservedExchange; within?: ObservedExchange }[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, depth: number, within: ObservedExchange | undefined) => {
    if (!node || typeof node !== 'object' || depth > 6 || seen.has(node)) return;
    seen.add(node);
    const x = node as { method?: unknown; url?: unknown };
    const isExchange = typeof x.method === 'string' && typeof x.url === 'string';
    if (isExchange) out.push({ exchange: node as ObservedExchange, ...(within ? { within } : {}) });
    const inside = isExchange ? (node as ObservedExchange) : within;
    for (const v of Array.isArray(node) ? node : Object.values(node)) walk(v, depth + 1, inside);
  };
  walk(observation, 0, undefined);
  return out;
}

/** Requests an observation records (every exchange summary in it), and the task timings a task probe measured. */
export function metricsOf(observation: unknown): {
  requests: number;
  createMs?: number;
  queuedMs?: number;
  generatingMs?: number;
  totalMs?: number;
} {
  const requests = exchangesIn(observation).length;
  const timing = (observation as { timing?: Record<string, number | undefined> } | undefined)?.timing ?? {};
  const out: ReturnType<typeof metricsOf> = { requests };
  for (const k of ['createMs', 'queuedMs', 'generatingMs', 'totalMs'] as const)
    if (typeof timing[k] === 'number') out[k] = timing[k];
  return out;
}

/** Did any create in the observation succeed? Then a task exists (and is billed): the probe is never sent again. */
export function createdTask(spec: ProviderSpec, observation: unknown): boolean {
  return exchangesIn(observation).some(
    (x) => x.method === 'POST' && typeof x.status === 'number' && isSuccess(spec, 'create', x.status),
  );
}
