import type { CheckStatus } from '../checks/types.ts';
import type { RunResults } from './build-results.ts';
import { countFlips, isBad, type HistoryLine } from './history-line.ts';

/** What changed since a reference run: the lines a nightly job pages on. */
export interface RunChanges {
  reference: { id: string; startedAt: string };
  /** failing or erroring now, not in the reference run */
  newlyFailing: string[];
  /** failing in the reference run, passing now */
  fixed: string[];
  /** still failing */
  stillFailing: string[];
  /** flipped between good and bad at least twice in the recent runs (including this one) */
  flaky: string[];
}

/**

 * The reference: `last` = the newest earlier run with the same target and at least one provider in common; else an id.

 */
export function findReference(history: HistoryLine[], run: RunResults, ref: string): HistoryLine | undefined {
  const ids = new Set(run.run.providers.map((p) => p.id));
  const candidates = history.filter((h) => h.id !== run.run.id && h.checks);
  if (ref !== 'last') return candidates.find((h) => h.id === ref);
  return [...candidates].reverse().find((h) => h.target === run.run.target && h.providers.some((p) => ids.has(p)));
}

export function compareRuns(run: RunResults, reference: HistoryLine, recent: HistoryLine[]): RunChanges {
  const before = reference.checks ?? {};
  const newlyFailing: string[] = [];
  const fixed: string[] = [];
  const stillFailing: string[] = [];
  for (const r of run.results) {
    const key = `${r.provider} ${r.id}`;
    const was = before[key]?.status;
    const bad = isBad(r.status);
    if (bad && (!was || !isBad(was))) newlyFailing.push(key);
    else if (bad) stillFailing.push(key);
    else if (was && isBad(was) && r.status === 'pass') fixed.push(key);
  }
  // flaky: good ↔ bad at least twice over the last runs that judged it, this one included
  const flaky = run.results
    .map((r) => `${r.provider} ${r.id}`)
    .filter((key) => {
      const series = [
        ...recent.slice(-9).map((h) => h.checks?.[key]?.status),
        run.results.find((r) => `${r.provider} ${r.id}` === key)!.status,
      ].filter((s): s is CheckStatus => Boolean(s));
      return countFlips(series) >= 2;
    });
  return { reference: { id: reference.id, startedAt: reference.startedAt }, newlyFailing, fixed, stillFailing, flaky };
}

/** The summary's first lines. */
export function renderChanges(c: RunChanges): string {
  const list = (xs: string[]) => (xs.length ? xs.map((x) => `\`${x}\``).join(', ') : 'none');
  return [
    `## Changes since run ${c.reference.id} (${c.reference.startedAt})`,
    '',
    `- newly failing (${c.newlyFailing.length}): ${list(c.newlyFailing)}`,
    `- fixed (${c.fixed.length}): ${list(c.fixed)}`,
    `- flaky (${c.flaky.length}): ${list(c.flaky)}`,
    `- still failing: ${c.stillFailing.length}`,
    '',
  ].join('\n');
}
