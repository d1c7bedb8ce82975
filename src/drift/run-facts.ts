import { isDeepStrictEqual } from 'node:util';
import type { RunResults } from '../report/build-results.ts';
import type { CheckResult, FindingKind } from '../checks/types.ts';
import { describeClaim, sourceText } from '../checks/sources.ts';
import { formatPointer } from '../core/json-pointer.ts';
import { mockClaim } from '../spec/claims.ts';
import { errorCodeOf } from '../spec/error-code.ts';
import type { ProviderSpec } from '../spec/model.ts';

/**
 * How an observed value stands to the documents: the spec's chosen claim (or a value every document allows), another
 * documented claim, no document, or not known (the check did not judge it).
 */
export type Alignment = 'chosen' | 'other-claim' | 'undocumented' | 'unknown';

/** One fact of a gateway's behaviour one run observed, read from a check's typed result (never its message). */
export interface ObservedFact {
  provider: string;
  /** stable id: default.duration, answer.reject.prompt_missing.status, answer.auth.missing_key.code, status.words, … */
  fact: string;
  /** the check whose result holds the observation */
  check: string;
  value: unknown;
  /** what the documents say (the check's expectation, or the chosen claim) and where */
  documented?: unknown;
  source?: string;
  alignment: Alignment;
  /** the documented claim(s) the value matches, where it is not the chosen one */
  matches?: string[];
  requestIds?: string[];
}

/** A check of a run whose facts could not be read: skipped, or not judged (an outage, noise, missing evidence). */
export interface NotObserved {
  provider: string;
  check: string;
  status: 'skip' | 'error';
  reason: string;
}

export interface RunFacts {
  facts: ObservedFact[];
  notObserved: NotObserved[];
}

type Base = Pick<ObservedFact, 'provider' | 'check' | 'requestIds'>;
type Reader = (r: CheckResult, spec: ProviderSpec | undefined) => ObservedFact[];

const has = (r: CheckResult, ...kinds: FindingKind[]) => Boolean(r.findings?.some((f) => kinds.includes(f.kind)));
const base = (r: CheckResult): Base => ({
  provider: r.provider,
  check: r.id,
  ...(r.requestIds?.length ? { requestIds: r.requestIds } : {}),
});

/**
 * Where a value stands, from the check's own findings: `away` kinds mean no document allows it, a claim followed
 * means another documented claim; otherwise a judged check (pass, warn, info, fail for another reason) means the
 * chosen claim.
 */
function judged(r: CheckResult, away: FindingKind[]): Pick<ObservedFact, 'alignment' | 'matches'> {
  if (has(r, ...away)) return { alignment: 'undocumented' };
  const followed = r.findings?.find((f) => f.kind === 'claim-followed');
  if (followed) return { alignment: 'other-claim', matches: followed.matches ?? r.matches ?? [] };
  return { alignment: 'chosen' };
}

/** One fact from the result's own observed and expected values. */
const whole =
  (fact: (r: CheckResult) => string, away: FindingKind[]): Reader =>
  (r) => [
    { ...base(r), fact: fact(r), value: r.observed, documented: r.expected, source: r.source, ...judged(r, away) },
  ];

/** The answer to a request the documents say is refused: its HTTP status, and its error code where one is found. */
function answer(r: CheckResult, spec: ProviderSpec | undefined): ObservedFact[] {
  const obs = r.observed as { status?: unknown; body?: unknown } | number | undefined;
  const status = typeof obs === 'number' ? obs : obs?.status;
  if (typeof status !== 'number') return [];
  const expected = r.expected as { status?: unknown } | number | undefined;
  const documented = typeof expected === 'number' ? expected : expected?.status;
  const facts: ObservedFact[] = [
    {
      ...base(r),
      fact: `answer.${r.id}.status`,
      value: status,
      documented,
      source: r.source,
      alignment: has(r, 'status', 'accepted-invalid') ? 'undocumented' : 'chosen',
    },
  ];
  const code = spec && typeof obs === 'object' ? errorCode(r, spec, status, obs.body) : undefined;
  return code ? [...facts, code] : facts;
}

/**
 * The error code at the documented place of the status's error body, against the error table: the chosen claim (or
 * a code every document gives: further codes, an auth condition's own), another claim, or none.
 */
function errorCode(r: CheckResult, spec: ProviderSpec, status: number, body: unknown): ObservedFact | undefined {
  const found = errorCodeOf(spec, status, body);
  if (!found || found.code === undefined) return undefined;
  const decl = spec.x.errors[String(status)];
  const claims = decl?.code ?? [];
  const chosen = claims.length ? mockClaim(claims) : undefined;
  const alsoValid = [
    ...(decl?.otherCodes ?? []).map((c) => c.value),
    ...Object.values(spec.x.auth.conditions ?? {}).flatMap((c) => (c?.status === status ? [c.code] : [])),
  ];
  const other = claims.filter((c) => c !== chosen && isDeepStrictEqual(c.value, found.code));
  const isChosen =
    isDeepStrictEqual(chosen?.value, found.code) || alsoValid.some((v) => isDeepStrictEqual(v, found.code));
  return {
    ...base(r),
    fact: `answer.${r.id}.code`,
    value: found.code,
    ...(chosen ? { documented: chosen.value, source: sourceText(spec, chosen.source) } : {}),
    ...(isChosen
      ? { alignment: 'chosen' as const }
      : other.length
        ? { alignment: 'other-claim' as const, matches: other.map((c) => describeClaim(spec, c)) }
        : { alignment: has(r, 'error-code') || claims.length ? ('undocumented' as const) : ('unknown' as const) }),
  };
}

/** The fields a body has, as JSON pointers (an array's items as `*`): a field appearing or vanishing shows. */
export function fieldsOf(body: unknown, at: string[] = []): string[] {
  if (Array.isArray(body)) return body.flatMap((item) => fieldsOf(item, [...at, '*']));
  if (!body || typeof body !== 'object') return [];
  return Object.entries(body).flatMap(([k, v]) => [formatPointer([...at, k]), ...fieldsOf(v, [...at, k])]);
}

/** A response body's fields (values change every run: ids, times), judged by the shape check's findings. */
const fields: Reader = (r) => [
  {
    ...base(r),
    fact: `fields.${r.id}`,
    value: [...new Set(fieldsOf(r.observed))].sort(),
    documented: r.expected,
    source: r.source,
    ...judged(r, ['shape']),
  },
];

/** The status words a task went through (as a set: how often a word repeats is timing). */
const statusWords: Reader = (r) => {
  const words = Array.isArray(r.observed) ? [...new Set(r.observed.map(String))].sort() : [];
  return [
    {
      ...base(r),
      fact: 'status.words',
      value: words,
      documented: r.expected,
      source: r.source,
      ...judged(r, ['status-word']),
    },
  ];
};

/** The result video's length and size, and its content type (the default duration shows here too). */
const video: Reader = (r) => {
  const obs = r.observed as { status?: number; video?: unknown } | undefined;
  return obs?.video === undefined
    ? []
    : [
        {
          ...base(r),
          fact: 'result.video',
          value: obs.video,
          documented: r.expected,
          source: r.source,
          ...judged(r, ['download']),
        },
      ];
};

/** Which checks' results hold a behaviour fact, and how to read it. Boundary and retry checks hold none. */
const READERS: [RegExp, Reader][] = [
  [/^defaults\.(?!explicit_settings$)/, whole((r) => r.id.replace('defaults.', 'default.'), ['default'])],
  [/^(reject|auth|availability)\.|^lifecycle\.(unknown_task|malformed_task_id)$/, answer],
  [/^shape\./, fields],
  [/^lifecycle\.vocabulary$/, statusWords],
  [/^lifecycle\.terminal$/, whole(() => 'status.terminal', ['status-word', 'not-terminal'])],
  [/^lifecycle\.link_expiry$/, whole(() => 'link.lifetime', ['link-expiry', 'status'])],
  [/^lifecycle\.result_content_type$/, whole(() => 'result.content_type', ['download'])],
  [/^lifecycle\.result_download$/, video],
];

const readerOf = (id: string) => READERS.find(([pattern]) => pattern.test(id))?.[1];

/**
 * The behaviour facts one run observed, per provider and check, and the checks whose facts it could not read
 * (skipped, or not judged: an outage or noise is no observation, so never a change). `specs`: the providers' current
 * specs, where the error code's place and claims come from (a provider without one has no code facts).
 */
export function runFacts(run: RunResults, specs: ReadonlyMap<string, ProviderSpec>): RunFacts {
  const facts: ObservedFact[] = [];
  const notObserved: NotObserved[] = [];
  for (const r of run.results) {
    const read = readerOf(r.id);
    if (!read) continue;
    if (r.status === 'skip' || r.status === 'error')
      notObserved.push({ provider: r.provider, check: r.id, status: r.status, reason: r.message });
    else facts.push(...read(r, specs.get(r.provider)).filter((f) => f.value !== undefined));
  }
  return { facts, notObserved };
}
