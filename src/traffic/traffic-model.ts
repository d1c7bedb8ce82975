import { getAt } from '../core/json-pointer.ts';
import { CLIENT_ID_HEADER } from '../har/client-id.ts';
import type { Exchange } from '../har/read-traffic.ts';
import { firstString } from '../spec/envelope.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { TaskOperationName } from '../spec/task-model.ts';
import { resultOperation, taskOperation } from '../spec/operations.ts';
import { phaseOf, statusWordOf, type Phase } from '../spec/status-phase.ts';

export type Operation = 'create' | TaskOperationName | 'download' | 'other';

/** An exchange with what the spec makes of it: which operation, which task, the status word and the result link. */
export interface Call extends Exchange {
  operation: Operation;
  taskId?: string;
  /** create: the request body as parsed JSON (undefined when it is not JSON) */
  json?: unknown;
  /** create/poll/result answers: the body as parsed JSON */
  answer?: unknown;
  /** poll: the task's status word and phase */
  word?: string;
  phase?: Phase;
  /** the result link this answer delivered, and when it expires (epoch ms) where the answer says */
  resultUrl?: string;
  expiresAtMs?: number;
}

/** One client's traffic (x-client-id or credential): the sequences the checks read. */
export interface ClientTraffic {
  client: string;
  calls: Call[];
}

export interface TrafficView {
  spec: ProviderSpec;
  clients: ClientTraffic[];
  /** every call, all clients, in start order */
  calls: Call[];
}

const parseJson = (text: string | undefined): unknown => {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** A path template (`/v1/tasks/{id}`) as a matcher; a gateway's base path may come before it (unless `exact`). */
export function pathMatcher(template: string, exact = false): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const pattern = new RegExp(`^${exact ? '' : '(?:/.*)?'}${source}/?$`);
  return (path) => {
    const m = pattern.exec(path);
    if (!m) return undefined;
    return Object.fromEntries(names.map((n, i) => [n, safeDecode(m[i + 1]!)]));
  };
}

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Where a succeeded task's answer says when its link expires: the pointer whose template is {{task.expiresAt}}. */
export function expiresAtPointer(spec: ProviderSpec): string | undefined {
  const template = spec.x.responses.poll[spec.x.lifecycle.succeeded] ?? spec.x.responses.poll.default;
  const find = (value: unknown, at: string): string | undefined => {
    if (value === '{{task.expiresAt}}') return at;
    if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        const hit = find(v, `${at}/${k}`);
        if (hit) return hit;
      }
    return undefined;
  };
  return find(template, '');
}

/** Classifies every exchange by the spec's operations and groups them per client. */
export function viewTraffic(spec: ProviderSpec, exchanges: Exchange[]): TrafficView {
  const create = pathMatcher(spec.create.path);
  const ops = (['poll', 'result', 'cancel'] as const).flatMap((name) => {
    const op = taskOperation(spec, name);
    return op
      ? [{ name, method: op.model.method.toUpperCase(), match: pathMatcher(op.model.path), decl: op.decl }]
      : [];
  });
  const expiresAt = expiresAtPointer(spec);
  const links = new Set<string>();
  const calls: Call[] = exchanges.map((x) => {
    const call: Call = { ...x, operation: 'other' };
    if (x.method === spec.create.method.toUpperCase() && create(x.path)) {
      call.operation = 'create';
      call.json = parseJson(x.requestBody);
      call.answer = parseJson(x.responseBody);
      if (x.status >= 200 && x.status < 300) {
        const lc = spec.x.lifecycle;
        call.taskId = firstString(call.answer, [lc.idPointer, ...(lc.idFallbackPointers ?? [])]);
      }
      return call;
    }
    for (const op of ops) {
      const params = x.method === op.method ? op.match(x.path) : undefined;
      if (!params) continue;
      call.operation = op.name;
      call.taskId =
        op.decl.taskId.in === 'path' ? params[op.decl.taskId.name] : (x.query.get(op.decl.taskId.name) ?? undefined);
      call.answer = parseJson(x.responseBody);
      if (op.name === 'poll' && x.status >= 200 && x.status < 300) {
        call.word = statusWordOf(spec, call.answer);
        call.phase = phaseOf(spec, call.word);
      }
      if (op.name === resultOperation(spec) && x.status >= 200 && x.status < 300) {
        const url = getAt(call.answer, spec.x.lifecycle.resultUrlPointer);
        if (typeof url === 'string') {
          call.resultUrl = url;
          links.add(url);
          const at = expiresAt ? getAt(call.answer, expiresAt) : undefined;
          if (typeof at === 'number') call.expiresAtMs = at * 1000;
        }
      }
      return call;
    }
    if (x.method === 'GET' && (links.has(x.url) || x.note.operation === 'download')) call.operation = 'download';
    return call;
  });
  attributeDownloads(spec, calls);
  const byClient = new Map<string, Call[]>();
  for (const c of calls) (byClient.get(c.client) ?? byClient.set(c.client, []).get(c.client)!).push(c);
  return { spec, calls, clients: [...byClient].map(([client, list]) => ({ client, calls: list })) };
}

/**
 * A result download that carries neither a credential nor an x-client-id (a signed link needs neither: most clients
 * fetch it bare) is the traffic of the client whose answer delivered the link (else of the client that created its
 * task): judged with that client's calls, and named as it, not as a client of its own (`anonymous`).
 */
function attributeDownloads(spec: ProviderSpec, calls: Call[]): void {
  const owner = new Map<string, string>();
  for (const c of calls) {
    if (c.resultUrl && !owner.has(c.resultUrl)) owner.set(c.resultUrl, c.client);
    if (c.operation === 'create' && c.taskId && !owner.has(`task:${c.taskId}`)) owner.set(`task:${c.taskId}`, c.client);
    if (c.operation !== 'download' || c.requestHeaders.has(CLIENT_ID_HEADER)) continue;
    if (c.requestHeaders.get(spec.x.auth.header.toLowerCase())) continue;
    const client = owner.get(c.url) ?? (c.note.taskId ? owner.get(`task:${c.note.taskId}`) : undefined);
    if (client) c.client = client;
  }
}

/** The request's body as canonical JSON text (key order ignored), or its raw text: "the same request" compares this. */
export function bodyKey(call: Call): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
          )
        : v;
  return call.json !== undefined ? JSON.stringify(canon(call.json)) : (call.requestBody ?? '');
}

/** Which credential a call carried (a fingerprint: records hold no key), to tell a retry after a key change. */
export const authKey = (call: Call): string => call.keyId;

/** The Retry-After an answer carried, in milliseconds (seconds or an HTTP date relative to the answer's start). */
/** The header the provider sends its Retry-After in (the standard one unless the documents name another). */
export const retryAfterName = (spec: ProviderSpec): string => spec.x.rateLimit?.headers.retryAfter ?? 'Retry-After';

export function retryAfterMs(spec: ProviderSpec, call: Call): number | undefined {
  const value = call.responseHeaders.get(retryAfterName(spec).toLowerCase());
  if (value === undefined) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - call.startedMs);
}
