import type { RunResults } from '../report/build-results.ts';
import type { CheckResult, Finding } from '../checks/types.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { DriftItem } from './types.ts';
import { unjudgedForNoise } from '../checks/transient.ts';

/** The stable fact id a typed finding is about, or undefined when it is not drift (evidence, retry of our client). */
function factOf(r: CheckResult, f: Finding): string | undefined {
  const family = r.id.split('.')[0];
  switch (f.kind) {
    case 'default':
      return r.id.replace('defaults.', 'default.');
    case 'claim-followed':
      if (family === 'defaults') return r.id.replace('defaults.', 'default.');
      if (r.id === 'lifecycle.link_expiry') return 'link.lifetime';
      return f.pointer !== undefined ? `error.${statusOf(r)}.code` : `claim.${r.id}`;
    case 'error-code':
      return `error.${statusOf(r)}.code`;
    case 'status-word':
      return `status.${String(f.observed)}`;
    case 'accepted-invalid':
      return `accepts.${r.id}`;
    case 'shape':
      // shape check ids are facts already (shape.create, shape.poll.<word>), error shapes are error.<status>.shape
      if (r.id.startsWith('shape.error.')) return `error.${r.id.split('.')[2]}.shape`;
      return r.id.startsWith('shape.') ? r.id : `shape.${r.id}`;
    case 'status':
    case 'error-field':
    case 'task-created':
    case 'transition':
    case 'link-expiry':
    case 'availability':
    case 'download':
    case 'not-terminal':
      return family === 'auth' ? `auth.${r.id.split('.')[1]}` : `${f.kind}.${r.id}`;
    default:
      // evidence (a harness-side gap), our client's retries, the documents' own faults and observations where
      // nothing is documented (info) are not drift from a document
      return undefined;
  }
}

/** The HTTP status an error finding concerns: the one the check expected. */
function statusOf(r: CheckResult): string {
  if (r.id.startsWith('shape.error.')) return r.id.split('.')[2]!;
  const e = r.expected as { status?: number } | number | undefined;
  return String(
    typeof e === 'number' ? e : (e?.status ?? (r.observed as { status?: number } | undefined)?.status ?? 'unknown'),
  );
}

function describe(r: CheckResult, f: Finding): string {
  if (r.family === 'defaults') {
    const setting = r.id.split('.')[1];
    const matches = f.matches?.length ? `; it matches ${f.matches.join('; ')}` : '; it matches no documented claim';
    return (
      `observed default ${setting} ${JSON.stringify(r.observed)} where the chosen claim says ` +
      `${JSON.stringify(r.expected)}${matches}`
    );
  }
  return f.kind === 'claim-followed' ? followedAnother(r, f) : `${r.id}: ${f.message}`;
}

/**
 * An observation that follows a documented claim other than the spec's chosen one: what was seen, what the chosen
 * claim says (with its source) and which documented claim it matches instead.
 */
function followedAnother(r: CheckResult, f: Finding): string {
  const what = f.pointer ? `${r.id} (${f.pointer})` : r.id;
  const seen = f.observed !== undefined ? `observed ${JSON.stringify(f.observed)}` : f.message;
  const chosen =
    f.expected !== undefined
      ? `the chosen claim says ${JSON.stringify(f.expected)}${f.source ? ` (${f.source})` : ''}`
      : 'the chosen claim says otherwise';
  const matches = f.matches?.length ? `; it matches ${f.matches.join('; ')}` : '';
  return `${what}: ${seen} where ${chosen}${matches}`;
}

/**
 * Part 4: facts where what a run observed departs from what the spec's chosen claims say — read from the typed
 * findings of each result (never from message text): defaults and error codes that follow another documented claim
 * or none, undocumented status words, requests accepted that the documents forbid, shapes, auth and lifecycle.
 */
export function observedDrift(runs: RunResults[], specs: Map<string, ProviderSpec>): DriftItem[] {
  const items = new Map<string, DriftItem>();
  for (const run of runs) {
    for (const r of run.results) {
      // what noise left unjudged says nothing of the documents (see unjudgedByNoise)
      if (!specs.has(r.provider) || unjudged(r)) continue;
      for (const f of r.findings ?? []) {
        const fact = factOf(r, f);
        if (!fact) continue;
        const key = `${r.provider} ${fact}`;
        const requestIds = [...new Set([...(f.requestIds ?? []), ...(r.requestIds ?? [])])];
        const existing = items.get(key);
        if (existing) existing.requestIds = [...new Set([...(existing.requestIds ?? []), ...requestIds])];
        else
          items.set(key, {
            provider: r.provider,
            fact,
            kind: 'observed',
            message: describe(r, f),
            observed: f.observed ?? r.observed,
            matches: f.matches ?? [],
            requestIds,
            ...(f.source ? { source: f.source } : {}),
          });
      }
    }
  }
  return [...items.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.fact.localeCompare(b.fact));
}

/**
 * A result that judged nothing: an `error` that noise left unjudged, or one none of whose findings is drift (the
 * evidence was missing: an upstream that never answered, a body never observed).
 */
const unjudged = (r: CheckResult): boolean =>
  unjudgedForNoise(r) || (r.status === 'error' && !(r.findings ?? []).some((f) => factOf(r, f) !== undefined));

/**
 * A check left unjudged: which, why (`noise`: 429s, 5xx, timeouts or resets; `error`: the evidence was missing) and
 * what it met (`noise`, its verdict's message: the answers met and the retries made, or what was missing).
 */
export interface UnjudgedCheck {
  provider: string;
  check: string;
  cause: 'noise' | 'error';
  noise: string;
}

/** The checks of these runs that judged nothing (noise, or evidence missing): not drift, but not judged either. */
export function unjudgedByNoise(runs: RunResults[]): UnjudgedCheck[] {
  return runs.flatMap((run) =>
    run.results.filter(unjudged).map((r) => ({
      provider: r.provider,
      check: r.id,
      cause: unjudgedForNoise(r) ? ('noise' as const) : ('error' as const),
      noise: r.message,
    })),
  );
}

/** One *Could not be judged* section: its heading, why those checks say nothing of the documents, and each check. */
function unjudgedSection(heading: string, why: string, checks: UnjudgedCheck[]): string[] {
  if (!checks.length) return [];
  const lines = checks.map((u) => `- ${u.provider} · ${u.check}: ${u.noise}`);
  return [`## Could not be judged: ${heading} (${checks.length}; not drift)`, '', why, '', ...lines, ''];
}

/** The sections a drift report ends with when noise or missing evidence left checks unjudged. */
export function renderUnjudged(unjudged: UnjudgedCheck[]): string {
  return [
    ...unjudgedSection(
      'gateway noise',
      'These checks met 429s, 5xx, timeouts or resets that outlasted the documented retries: what they saw says ' +
        'nothing about the documents. Run again once the gateway answers.',
      unjudged.filter((u) => u.cause === 'noise'),
    ),
    ...unjudgedSection(
      'no evidence',
      'These checks ended in error with nothing to judge (the gateway never answered, or what they needed was ' +
        'not observed): no drift was shown, none was ruled out. Fix what each says and run again.',
      unjudged.filter((u) => u.cause === 'error'),
    ),
  ].join('\n');
}
