import { isDeepStrictEqual } from 'node:util';
import { describeSource, mockClaim } from '../spec/claims.ts';
import { getAt } from '../core/json-pointer.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { RunResults } from '../report/build-results.ts';
import type { CheckResult } from '../checks/types.ts';
import type { DriftItem } from './types.ts';

/** Where the template puts the error code ({{error.code}}), e.g. /error/code or /code. */
function codePointer(template: unknown, at = ''): string | undefined {
  if (template === '{{error.code}}') return at;
  if (template && typeof template === 'object') {
    for (const [k, v] of Object.entries(template)) {
      const found = codePointer(v, `${at}/${k}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Error bodies a result observed, by HTTP status. */
function observedErrorBodies(r: CheckResult): { status: number; body: unknown }[] {
  const o = r.observed as { status?: number; body?: unknown } | unknown[] | undefined;
  if (r.id.startsWith('shape.error.')) {
    const status = Number(r.id.split('.')[2]);
    return (Array.isArray(o) ? o : [o]).map((body) => ({ status, body }));
  }
  if (o && !Array.isArray(o) && typeof o === 'object' && typeof (o as { status?: unknown }).status === 'number') return [{ status: (o as { status: number }).status, body: (o as { body?: unknown }).body }];
  return [];
}

/**
 * Part 4: facts where what a run observed disagrees with what the spec's chosen claims say: defaults, status
 * words, error codes and shapes, requests accepted that the documents forbid. Says which claim the observation
 * matches, if any, with the request ids.
 */
export function observedDrift(runs: RunResults[], specs: Map<string, ProviderSpec>): DriftItem[] {
  const items = new Map<string, DriftItem>();
  const add = (item: DriftItem) => {
    const key = `${item.provider} ${item.fact}`;
    const existing = items.get(key);
    if (existing) existing.requestIds = [...new Set([...(existing.requestIds ?? []), ...(item.requestIds ?? [])])];
    else items.set(key, item);
  };
  for (const run of runs) {
    for (const r of run.results) {
      const spec = specs.get(r.provider);
      if (!spec) continue;
      const base = { provider: r.provider, kind: 'observed' as const, requestIds: r.requestIds ?? [] };
      if (r.family === 'defaults' && r.status === 'fail') {
        add({ ...base, fact: r.id.replace('defaults.', 'default.'), message: `observed default ${r.id.split('.')[1]} ${JSON.stringify(r.observed)} where the chosen claim says ${JSON.stringify(r.expected)}${r.matches?.length ? `; it matches ${r.matches.join('; ')}` : '; it matches no documented claim'}`, observed: r.observed, matches: r.matches ?? [] });
      }
      if (r.id === 'lifecycle.vocabulary' && r.status === 'fail') {
        const documented = new Set(r.expected as string[]);
        for (const word of new Set((r.observed as string[]).filter((w) => !documented.has(w)))) add({ ...base, fact: `status.${word}`, message: `undocumented status word "${word}"`, observed: word, matches: [] });
      }
      if ((r.family === 'reject' || r.family === 'boundary') && r.status === 'fail' && /accepted|created \d+ task|expected 400, got 2\d\d/.test(`${r.message} ${JSON.stringify(r.observed)}`)) {
        add({ ...base, fact: `accepts.${r.id}`, message: `accepted a request the documents forbid (${r.id}): ${r.message}`, observed: r.observed, matches: [] });
      }
      if (r.family === 'shape' && r.id.startsWith('shape.error.') && r.status === 'fail') {
        add({ ...base, fact: `error.${r.id.split('.')[2]}.shape`, message: `error bodies of another shape: ${r.message}`, observed: r.observed, matches: [] });
      }
      if (r.family === 'auth' && r.status === 'fail') add({ ...base, fact: `auth.${r.id.split('.')[1]}`, message: `auth: ${r.message}`, observed: r.observed, matches: [] });
      for (const { status, body } of observedErrorBodies(r)) {
        const decl = spec.x.errors[String(status)];
        const pointer = decl ? codePointer(decl.body) : undefined;
        if (!decl || pointer === undefined) continue;
        const code = getAt(body, pointer);
        const chosen = mockClaim(decl.code).value;
        if (code === undefined || isDeepStrictEqual(code, chosen)) continue;
        const matches = decl.code.filter((c) => isDeepStrictEqual(c.value, code)).map((c) => `${JSON.stringify(c.value)} (${describeSource(spec.x, c.source)})`);
        add({ ...base, fact: `error.${status}.code`, message: `observed ${status} error code ${JSON.stringify(code)} where the chosen claim says ${JSON.stringify(chosen)}${matches.length ? `; it matches ${matches.join('; ')}` : ''}`, observed: code, matches });
      }
    }
  }
  return [...items.values()].sort((a, b) => a.provider.localeCompare(b.provider) || a.fact.localeCompare(b.fact));
}
