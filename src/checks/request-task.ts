import { envelopeFailure, firstString } from '../spec/envelope.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { isSuccess, taskOperation } from '../spec/operations.ts';
import type { TaskOperationName } from '../spec/task-model.ts';
import { exchangesWithin, type ObservedExchange } from './observed-exchanges.ts';

/**
 * A path template (`/v1/tasks/{id}`) as a pattern a request's path ends with; the parameter named `capture` (if any)
 * is captured.
 */
const templateAtEnd = (template: string, capture?: string) =>
  new RegExp(
    `${template
      .split(/(\{[^}]+\})/)
      .map((part, i) =>
        i % 2 === 0 ? part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : part === `{${capture}}` ? '([^/]+)' : '[^/]+',
      )
      .join('')}$`,
  );

/**
 * Which documented operation a request ("METHOD URL") is: the longest path template of the spec its path ends with,
 * else download (a GET elsewhere: the result link) or other.
 */
export function operationOfRequest(spec: ProviderSpec, request: string): string {
  const [method, url] = request.split(' ') as [string, string | undefined];
  let path: string;
  try {
    path = new URL(url ?? '').pathname;
  } catch {
    return 'other';
  }
  const models = [['create', spec.create] as const, ['poll', spec.poll] as const, ...Object.entries(spec.operations)];
  const hit = models
    .flatMap(([name, m]) => (m && m.method === method && templateAtEnd(m.path).test(path) ? [{ name, m }] : []))
    .sort((a, b) => b.m.path.length - a.m.path.length)[0];
  return hit ? hit.name : method === 'GET' ? 'download' : 'other';
}

/**
 * The task a noisy exchange belongs to, so a report's label names it: a poll's (or result's, cancel's) task, and the
 * task a create made — `null` for a create that made none. Undefined where the exchange is about no task.
 */
export type TaskOfExchange = (exchange: ObservedExchange, within?: ObservedExchange) => string | null | undefined;

/** The task a request made, if it is a create: its id, or null when it made none; undefined for another request. */
export function taskOfCreate(spec: ProviderSpec, x: ObservedExchange): string | null | undefined {
  return operationOfRequest(spec, `${x.method} ${x.url}`) === 'create' ? (createdId(spec, x) ?? null) : undefined;
}

/** The id a create answered with (at the documented pointer), if it made a task. */
function createdId(spec: ProviderSpec, x: ObservedExchange): string | undefined {
  if (typeof x.status !== 'number' || !isSuccess(spec, 'create', x.status)) return undefined;
  if (envelopeFailure(spec, x.status, x.body)) return undefined;
  const lc = spec.x.lifecycle;
  return firstString(x.body, [lc.idPointer, ...(lc.idFallbackPointers ?? [])]);
}

/** The task id a task operation's URL carries where its declaration puts it (a path parameter or a query one). */
function idInUrl(spec: ProviderSpec, name: TaskOperationName, url: URL): string | undefined {
  const op = taskOperation(spec, name);
  if (!op) return undefined;
  if (op.decl.taskId.in === 'query') return url.searchParams.get(op.decl.taskId.name) ?? undefined;
  const hit = templateAtEnd(op.model.path, op.decl.taskId.name).exec(url.pathname);
  return hit?.[1] ? decoded(hit[1]) : undefined;
}

/** Percent-escapes decoded; a malformed one leaves the text as sent. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Reads which task each exchange of an observation is about: a create's from its answer (or, for an answer its
 * client's retry loop sent it again after, the final answer's), a task operation's from the ids the observation's
 * creates answered with that its URL holds (a URL the create named, as fal's status_url, too), else from where the
 * spec puts the id in the operation's URL.
 */
export function taskReader(spec: ProviderSpec, observation: unknown): TaskOfExchange {
  const created = [...new Set(exchangesWithin(observation).flatMap(({ exchange }) => createdId(spec, exchange) ?? []))];
  return (x, within) => {
    const operation = operationOfRequest(spec, `${x.method} ${x.url}`);
    if (operation === 'create') return createdId(spec, x) ?? (within ? createdId(spec, within) : undefined) ?? null;
    if (operation !== 'poll' && operation !== 'result' && operation !== 'cancel') return undefined;
    let url: URL;
    try {
      url = new URL(x.url);
    } catch {
      return undefined;
    }
    const href = decoded(url.href);
    return created.find((id) => href.includes(id)) ?? idInUrl(spec, operation, url);
  };
}
