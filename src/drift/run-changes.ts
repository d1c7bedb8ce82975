import { isDeepStrictEqual } from 'node:util';
import type { RunResults } from '../report/build-results.ts';
import type { Severity } from './diff-rules.ts';
import type { Alignment, NotObserved, ObservedFact, RunFacts } from './run-facts.ts';

/**
 * Where a change of an observed value goes, judged against the documents: toward them (it matched none, now one),
 * away (it matched one, now none), from one documented claim to another, between values the documents both allow,
 * between two undocumented values, or not known (a check that did not judge it).
 */
export type Direction = 'toward' | 'away' | 'between-claims' | 'within-documents' | 'undocumented-both' | 'unknown';

/** What each direction weighs for `--fail-on`: leaving the documents breaks a client; a switch of claim may. */
export const DIRECTION_SEVERITY: Record<Direction, Severity> = {
  away: 'ERR',
  'between-claims': 'WARN',
  'undocumented-both': 'WARN',
  unknown: 'WARN',
  'within-documents': 'INFO',
  toward: 'INFO',
};

/** One side of a change: what that run observed, with the check that observed it and where it stood. */
export type FactSide = Omit<ObservedFact, 'provider' | 'fact'>;

export interface FactChange {
  provider: string;
  fact: string;
  check: string;
  /** changed: observed in both runs, with different values; only-before/only-after: observed in one run only */
  change: 'changed' | 'only-before' | 'only-after';
  before?: FactSide;
  after?: FactSide;
  /** what the documents say and where (the later run's reading, else the earlier's) */
  documented?: unknown;
  source?: string;
  direction?: Direction;
  severity: Severity;
  /** the provider's spec differs between the runs: the change may be the documents', not the gateway's */
  specChanged?: boolean;
  message: string;
}

/** A fact one run observed that the other could not judge (an outage, noise, missing evidence): not a change. */
export interface NotCompared {
  provider: string;
  fact: string;
  check: string;
  unjudgedIn: 'before' | 'after';
  reason: string;
  value: unknown;
}

export interface RunLabel {
  file: string;
  id: string;
  target: string;
  startedAt: string;
  mockClaims?: string;
}

export interface RunComparison {
  kind: 'between-runs';
  before: RunLabel;
  after: RunLabel;
  /** what makes the runs less comparable: target, mock claims, providers in one run only, specs changed or unknown */
  notes: string[];
  /** providers in both runs */
  providers: string[];
  counts: Record<Severity, number>;
  unchanged: number;
  changes: FactChange[];
  notCompared: NotCompared[];
}

export interface RunInput {
  file: string;
  results: RunResults;
  facts: RunFacts;
}

export function direction(before: Alignment, after: Alignment): Direction {
  if (before === 'unknown' || after === 'unknown') return 'unknown';
  if (before === 'undocumented') return after === 'undocumented' ? 'undocumented-both' : 'toward';
  if (after === 'undocumented') return 'away';
  return before === 'chosen' && after === 'chosen' ? 'within-documents' : 'between-claims';
}

const stands = (s: FactSide): string =>
  s.alignment === 'chosen'
    ? 'as documented (the chosen claim)'
    : s.alignment === 'other-claim'
      ? `as another documented claim: ${s.matches?.length ? s.matches.join('; ') : 'not named'}`
      : s.alignment === 'undocumented'
        ? 'as no document says'
        : 'not judged against the documents';

const DIRECTION_TEXT: Record<Direction, string> = {
  toward: 'toward the documents',
  away: 'away from the documents',
  'between-claims': 'from one documented claim to another',
  'within-documents': 'both as documented',
  'undocumented-both': 'neither as documented',
  unknown: 'not judged against the documents in one of the runs',
};

const shown = (v: unknown) => JSON.stringify(v) ?? 'nothing';

/** A value's change in words: a set of fields or status words as what appeared and vanished, else old → new. */
export function valueChange(before: unknown, after: unknown): string {
  const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (strings(before) && strings(after)) {
    const appeared = after.filter((x) => !before.includes(x));
    const vanished = before.filter((x) => !after.includes(x));
    if (appeared.length || vanished.length)
      return [
        appeared.length ? `appeared ${appeared.join(', ')}` : '',
        vanished.length ? `vanished ${vanished.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
  }
  return `${shown(before)} → ${shown(after)}`;
}

const sideOf = ({ provider: _p, fact: _f, ...side }: ObservedFact): FactSide => side;

function changed(b: ObservedFact, a: ObservedFact): FactChange {
  const dir = direction(b.alignment, a.alignment);
  return {
    provider: a.provider,
    fact: a.fact,
    check: a.check,
    change: 'changed',
    before: sideOf(b),
    after: sideOf(a),
    ...documentedOf(a, b),
    direction: dir,
    severity: DIRECTION_SEVERITY[dir],
    // which claim each side follows, where that is the point (a switch of claim, or a side not judged)
    message:
      `${valueChange(b.value, a.value)} (${DIRECTION_TEXT[dir]}` +
      (dir === 'between-claims' || dir === 'unknown'
        ? `: before ${stands(sideOf(b))}, after ${stands(sideOf(a))})`
        : ')'),
  };
}

const documentedOf = (first: ObservedFact, second?: ObservedFact) => {
  const from = first.documented !== undefined || !second ? first : second;
  return {
    ...(from.documented !== undefined ? { documented: from.documented } : {}),
    ...(from.source ? { source: from.source } : {}),
  };
};

/** Why a fact one run observed is missing from the other: the provider or check not in it, or skipped. */
function whyMissing(provider: string, check: string, other: RunInput, skipped?: NotObserved): string {
  if (!other.results.run.providers.some((p) => p.id === provider)) return `${other.file} did not run ${provider}`;
  if (skipped) return `${check} was skipped in ${other.file}: ${skipped.reason}`;
  if (!other.results.results.some((r) => r.provider === provider && r.id === check))
    return `${other.file} did not run ${check}`;
  return `${check} in ${other.file} did not observe it`;
}

function oneSide(fact: ObservedFact, side: 'before' | 'after', other: RunInput, skipped?: NotObserved): FactChange {
  return {
    provider: fact.provider,
    fact: fact.fact,
    check: fact.check,
    change: side === 'before' ? 'only-before' : 'only-after',
    [side]: sideOf(fact),
    ...documentedOf(fact),
    severity: 'INFO',
    message:
      `${shown(fact.value)} observed ${side === 'before' ? 'before' : 'after'} only (${stands(sideOf(fact))}); ` +
      whyMissing(fact.provider, fact.check, other, skipped),
  };
}

const key = (f: { provider: string; fact: string }) => `${f.provider} ${f.fact}`;
const checkKey = (f: { provider: string; check: string }) => `${f.provider} ${f.check}`;

interface Compared {
  changes: FactChange[];
  notCompared: NotCompared[];
  unchanged: number;
}

/** A fact of one run against the other run: unchanged, changed, not judged there (no change), or in one run only. */
function compareFact(fact: ObservedFact, mine: 'before' | 'after', other: RunInput, into: Compared): void {
  const match = other.facts.facts.find((f) => key(f) === key(fact));
  if (match && mine === 'before') {
    if (isDeepStrictEqual(fact.value, match.value)) into.unchanged += 1;
    else into.changes.push(changed(fact, match));
    return;
  }
  if (match) return; // counted from the earlier run's side
  const gap = other.facts.notObserved.find((n) => checkKey(n) === checkKey(fact));
  if (gap?.status === 'error')
    into.notCompared.push({
      provider: fact.provider,
      fact: fact.fact,
      check: fact.check,
      unjudgedIn: mine === 'before' ? 'after' : 'before',
      reason: gap.reason,
      value: fact.value,
    });
  else into.changes.push(oneSide(fact, mine, other, gap));
}

const ORDER: Severity[] = ['ERR', 'WARN', 'INFO'];

/**
 * Where a gateway's observed behaviour changed from one run to another, per provider × fact: each change with what
 * each run observed (and the check that observed it), the documented value and its source, and whether it moved
 * toward or away from the documents. A fact observed in one run only is listed as such; one the other run could not
 * judge (an outage, noise) is not a change and is listed apart.
 */
export function compareRuns(before: RunInput, after: RunInput, notes: string[]): RunComparison {
  const into: Compared = { changes: [], notCompared: [], unchanged: 0 };
  for (const fact of before.facts.facts) compareFact(fact, 'before', after, into);
  for (const fact of after.facts.facts) compareFact(fact, 'after', before, into);
  const specChanged = new Set(specsChanged(before.results, after.results));
  const changes = into.changes
    .map((c) => (specChanged.has(c.provider) ? { ...c, specChanged: true } : c))
    .sort(
      (x, y) =>
        x.provider.localeCompare(y.provider) ||
        ORDER.indexOf(x.severity) - ORDER.indexOf(y.severity) ||
        x.fact.localeCompare(y.fact),
    );
  const counts = { ERR: 0, WARN: 0, INFO: 0 };
  for (const c of changes) counts[c.severity] += 1;
  const afterIds = new Set(after.results.run.providers.map((p) => p.id));
  return {
    kind: 'between-runs',
    before: label(before),
    after: label(after),
    notes,
    providers: before.results.run.providers.map((p) => p.id).filter((id) => afterIds.has(id)),
    counts,
    unchanged: into.unchanged,
    changes,
    notCompared: into.notCompared,
  };
}

const label = ({ file, results: { run } }: RunInput): RunLabel => ({
  file,
  id: run.id,
  target: run.target,
  startedAt: run.startedAt,
  ...(run.mockClaims ? { mockClaims: run.mockClaims } : {}),
});

/** The providers of both runs whose recorded spec differs (a digest recorded in both, and different). */
export function specsChanged(before: RunResults, after: RunResults): string[] {
  return before.run.providers.flatMap((b) => {
    const a = after.run.providers.find((p) => p.id === b.id);
    return a?.spec && b.spec && a.spec.digest !== b.spec.digest ? [b.id] : [];
  });
}
