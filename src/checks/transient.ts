import { exchangesIn } from './observed-exchanges.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { CheckDefinition, Verdict } from './types.ts';

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

/** One transient answer seen in an observation: the request and what came back. */
export interface TransientEvidence {
  request: string;
  status?: number;
  error?: string;
}

/**
 * The transient answers an observation holds (any exchange summary in it, however deep), except a status the
 * check expected: a check about 429/500 behaviour is judged on them, never excused by them.
 */
export function transientEvidence(
  def: Pick<CheckDefinition, 'id' | 'family'>,
  verdict: Verdict,
  observation: unknown,
): TransientEvidence[] {
  if (def.family === 'retry' || /^shape\.error\./.test(def.id)) return [];
  const expected = expectedStatus(verdict.expected);
  const out: TransientEvidence[] = [];
  for (const x of exchangesIn(observation)) {
    const status = typeof x.status === 'number' ? x.status : undefined;
    const error = typeof x.error === 'string' ? x.error : undefined;
    if (
      (status !== undefined && transientStatus(status) && status !== expected) ||
      (status === undefined && error && TRANSIENT_ERROR.test(error))
    ) {
      out.push({
        request: `${x.method} ${x.url}`,
        ...(status !== undefined ? { status } : {}),
        ...(error ? { error } : {}),
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

/**
 * How often, and after how long, a check is tried again after a transient answer: as the provider's documents
 * advise for that status (its first delays, at most two more tries), else once after a second. A provider that
 * documents no retry for the status gets no retry: the answer is reported as transient at once.
 */
export function transientRetrySchedule(spec: ProviderSpec, evidence: TransientEvidence[]): number[] {
  const status = evidence.find((e) => e.status !== undefined)?.status;
  if (status === undefined) return [1000];
  const advice = spec.x.retry[String(status)] ?? (status >= 500 ? spec.x.retry['500'] : undefined);
  if (advice && !advice.retry) return [];
  return (advice?.delaysMs ?? [1000]).slice(0, 2);
}
