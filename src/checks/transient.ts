import { exchangesIn } from './observed-exchanges.ts';
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

/** A path template (`/v1/tasks/{id}`) as a pattern a request's path ends with. */
const templateAtEnd = (template: string) =>
  new RegExp(
    `${template
      .split(/\{[^}]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]+')}$`,
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
}

/** One noisy exchange as a report names it: "POST https://…/generations → 500 (attempt 2, request id r-7)". */
export function nameNoise(e: TransientEvidence): string {
  const about = [
    ...(e.attempt !== undefined ? [`attempt ${e.attempt}`] : []),
    ...(e.requestId ? [`request id ${e.requestId}`] : []),
  ];
  return `${e.request} → ${e.status ?? e.error}${about.length ? ` (${about.join(', ')})` : ''}`;
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
  def: Pick<CheckDefinition, 'id' | 'family'>,
  verdict: Verdict,
  observation: unknown,
): TransientEvidence[] {
  if (def.family === 'retry') return [];
  // shape.error.<status> is about that status: its own answer is judged, any other noise is noise
  const expected = Number(/^shape\.error\.(\d+)$/.exec(def.id)?.[1] ?? Number.NaN) || expectedStatus(verdict.expected);
  const out: TransientEvidence[] = [];
  for (const x of exchangesIn(observation)) {
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
        ...(typeof x.attempt === 'number' ? { attempt: x.attempt } : {}),
        ...(typeof x.requestId === 'string' ? { requestId: x.requestId } : {}),
      });
    }
  }
  return out;
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
