import { exchangesWithin, type ObservedExchange } from './observed-exchanges.ts';
import { operationOfRequest, type TaskOfExchange, taskReader } from './request-task.ts';

export { operationOfRequest };
import type { ProviderSpec } from '../spec/model.ts';
import { DEFAULT_RETRY_AFTER_CAP_MS } from '../client/retry-policy.ts';
import type { CheckDefinition, CheckResult, NoiseMet, Verdict } from './types.ts';

/** Failures of the network or of a gateway's capacity, not of its contract: 429, 5xx, a timeout, a reset. */
const TRANSIENT_CODES = [
  'TIMEOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
];
const TRANSIENT_ERROR = new RegExp(`^(${TRANSIENT_CODES.join('|')})\\b`);
const transientStatus = (status: number) => status === 429 || (status >= 500 && status !== 501);

/**
 * A check that could not be judged for noise: `error` after 429s, 5xx, timeouts or resets outlasted the documented
 * retries. Not a contract failure (never "newly failing", never drift), and never a pass either.
 */
export const unjudgedForNoise = (r: Pick<CheckResult, 'status' | 'transient' | 'findings'>): boolean =>
  r.status === 'error' && (r.transient !== undefined || Boolean(r.findings?.some((f) => f.kind === 'transient')));

/** One transient answer seen in an observation: the request and what came back. */
export interface TransientEvidence {
  request: string;
  status?: number;
  error?: string;
  /** the answer's Retry-After, in ms (seconds or an HTTP date) */
  retryAfterMs?: number;
  /** which try of the same request it was (1: first; 2: sent again after a transient answer…) */
  attempt?: number;
  /** the gateway's id for the answer, where it gave one */
  requestId?: string;
  /** the task it is about (a poll's; the one a create made), null for a create that made none; where known */
  task?: string | null;
  /** the documented operation it is (create, poll…), where its task is known */
  operation?: string;
  /** which time the check was judged (2: tried again after noise, on fresh probes and so fresh tasks) */
  round?: number;
}

/**
 * One noisy exchange as a report names it, with the task it belongs to, so the attempts of several tasks in one
 * check never read as one request's: "GET https://…/tasks/t-2 → 429 (task t-2: poll attempt 1, request id r-7;
 * round 2 of the check)", "POST https://…/generations → 500 (task t-1: create attempt 1)" (its create made t-1 on
 * a later attempt), "… (no task: create attempt 3)".
 */
export function nameNoise(e: TransientEvidence): string {
  const task = e.task ? `task ${e.task}: ` : e.task === null ? 'no task: ' : '';
  const which = task && e.operation ? `${e.operation} ` : '';
  const about = [
    ...(e.attempt !== undefined ? [`${task}${which}attempt ${e.attempt}`] : task ? [task.slice(0, -2)] : []),
    ...(e.requestId ? [`request id ${e.requestId}`] : []),
  ].join(', ');
  const round = e.round !== undefined && e.round > 1 ? `round ${e.round} of the check` : '';
  const label = [about, round].filter(Boolean).join('; ');
  return `${e.request} → ${e.status ?? e.error}${label ? ` (${label})` : ''}`;
}

/** The noise met, each answer with its operation (as the spec names it) and the exchange named. */
export const noiseMet = (spec: ProviderSpec, evidence: TransientEvidence[]): NoiseMet[] =>
  evidence.map((e) => ({
    operation: operationOfRequest(spec, e.request),
    answer: e.status !== undefined ? String(e.status) : (e.error ?? 'error').split(':')[0]!,
    exchange: nameNoise(e),
  }));

/** Noisy exchanges named in a sentence: the first few, and how many more the finding lists. */
export function listNoise(named: string[], shown = 5): string {
  return named.slice(0, shown).join('; ') + (named.length > shown ? `; and ${named.length - shown} more` : '');
}

/**
 * The transient answers an observation holds (any exchange summary in it, however deep, the answers a client's
 * retry loop sent a request again after included), except a status the check expected: a check about 429/500
 * behaviour is judged on them, never excused by them.
 */
export function transientEvidence(
  spec: ProviderSpec,
  def: Pick<CheckDefinition, 'id' | 'family'>,
  verdict: Verdict,
  observation: unknown,
): TransientEvidence[] {
  if (def.family === 'retry') return [];
  // shape.error.<status> is about that status: its own answer is judged, any other noise is noise
  const expected = Number(/^shape\.error\.(\d+)$/.exec(def.id)?.[1] ?? Number.NaN) || expectedStatus(verdict.expected);
  const out: TransientEvidence[] = [];
  const taskOf = taskReader(spec, observation);
  for (const { exchange: x, within } of exchangesWithin(observation)) {
    const status = typeof x.status === 'number' ? x.status : undefined;
    const error = typeof x.error === 'string' ? x.error : undefined;
    if (
      (status !== undefined && transientStatus(status) && status !== expected) ||
      (status === undefined && error && TRANSIENT_ERROR.test(error))
    ) {
      const retryAfterMs = retryAfterOf(x.headers);
      out.push({
        request: `${x.method} ${x.url}`,
        ...(status !== undefined ? { status } : {}),
        ...(error ? { error } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...attemptOf(x),
        ...(typeof x.requestId === 'string' ? { requestId: x.requestId } : {}),
        ...taskOfNoise(spec, taskOf, x, within),
      });
    }
  }
  return out;
}

/**
 * Which try of its request an exchange was: as recorded; else one more than the answers its client's retry loop sent
 * it again after (the final answer of a retried request); else its first (a request sent once).
 */
function attemptOf(x: ObservedExchange): { attempt: number } {
  if (typeof x.attempt === 'number') return { attempt: x.attempt };
  return { attempt: Array.isArray(x.retried) ? x.retried.length + 1 : 1 };
}

/** The task a noisy exchange is about, and its operation, where known. */
function taskOfNoise(
  spec: ProviderSpec,
  taskOf: TaskOfExchange,
  x: ObservedExchange,
  within: ObservedExchange | undefined,
): Pick<TransientEvidence, 'task' | 'operation'> {
  const task = taskOf(x, within);
  return task === undefined ? {} : { task, operation: operationOfRequest(spec, `${x.method} ${x.url}`) };
}

function expectedStatus(expected: unknown): number | undefined {
  if (typeof expected === 'number') return expected;
  const s = (expected as { status?: unknown } | undefined)?.status;
  return typeof s === 'number' ? s : undefined;
}

/** A Retry-After header (delay seconds or an HTTP date) in ms; undefined when absent or unreadable. */
export function retryAfterOf(headers: unknown): number | undefined {
  const raw = (headers as Record<string, unknown> | undefined)?.['retry-after'];
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/**
 * How often, and after how long, a check is tried again after a transient answer: as the provider's documents
 * advise for that status (its first delays, at most two more tries), else once after a second. A provider that
 * documents no retry for the status gets no retry: the answer is reported as transient at once. Where the advice
 * honours Retry-After, the first wait is at least what the answer asked for, up to the documented cap (else 60 s);
 * an answer asking for more than the cap is not waited out.
 */
export function transientRetrySchedule(spec: ProviderSpec, evidence: TransientEvidence[]): number[] {
  const first = evidence.find((e) => e.status !== undefined);
  const status = first?.status;
  if (status === undefined) return [1000];
  const advice = spec.x.retry[String(status)] ?? (status >= 500 ? spec.x.retry['500'] : undefined);
  if (advice && !advice.retry) return [];
  const delays = (advice?.delaysMs ?? [1000]).slice(0, 2);
  const asked = advice?.retryAfter ? first?.retryAfterMs : undefined;
  if (asked === undefined || delays.length === 0) return delays;
  if (asked > (advice?.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS)) return [];
  return [Math.max(delays[0]!, asked), ...delays.slice(1)];
}
