import type { CheckStatus } from '../checks/types.ts';
import { unjudgedForNoise } from '../checks/transient.ts';
import type { RunResults } from './build-results.ts';
import { countFlips, isBad, type HistoryLine } from './history-line.ts';

/** What changed since a reference run: the lines a nightly job pages on. */
export interface RunChanges {
  reference: { id: string; startedAt: string };
  /** failing or erroring now, not in the reference run (a check left unjudged by noise is not among them) */
  newlyFailing: string[];
  /**
   * could not be judged now: 429s, 5xx, timeouts or resets outlasted the documented retries (an outage). Neither
   * newly failing nor a pass: `--fail-on new` exits 2 for them when nothing newly fails
   */
  unjudged: string[];
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
  const newlyFailing: string[] = [];
  const unjudged: string[] = [];
  const fixed: string[] = [];
  const stillFailing: string[] = [];
  for (const r of run.results) {
    const key = `${r.provider} ${r.id}`;
    if (unjudgedForNoise(r)) {
      unjudged.push(key);
      continue;
    }
    const was = lastJudged(key, reference, recent);
    const bad = isBad(r.status);
    if (bad && (!was || !isBad(was))) newlyFailing.push(key);
    else if (bad) stillFailing.push(key);
    else if (was && isBad(was) && r.status === 'pass') fixed.push(key);
  }
  // flaky: good ↔ bad at least twice over the last runs that judged it (noise that left it unjudged is no verdict),
  // this one included
  const flaky = run.results
    .filter((r) => !unjudgedForNoise(r))
    .filter((r) => {
      const key = `${r.provider} ${r.id}`;
      const series = [...recent.slice(-9).map((h) => h.checks?.[key]), { status: r.status }].flatMap((c) =>
        c && c.transient !== 'unjudged' ? [c.status] : [],
      );
      return countFlips(series) >= 2;
    })
    .map((r) => `${r.provider} ${r.id}`);
  return {
    reference: { id: reference.id, startedAt: reference.startedAt },
    newlyFailing,
    unjudged,
    fixed,
    stillFailing,
    flaky,
  };
}

/**
 * The check's status in the reference run — or, where noise left it unjudged there, in the newest run up to the
 * reference that did judge it: an outage night neither fails nor fixes a check.
 */
function lastJudged(key: string, reference: HistoryLine, recent: HistoryLine[]): CheckStatus | undefined {
  const at = recent.findIndex((h) => h.id === reference.id);
  const upTo = at >= 0 ? recent.slice(0, at + 1) : [reference];
  for (const h of upTo.reverse()) {
    const c = h.target === reference.target ? h.checks?.[key] : undefined;
    if (c && c.transient !== 'unjudged') return c.status;
  }
  return undefined;
}

/** The summary's first lines. */
export function renderChanges(c: RunChanges): string {
  const list = (xs: string[]) => (xs.length ? xs.map((x) => `\`${x}\``).join(', ') : 'none');
  return [
    `## Changes since run ${c.reference.id} (${c.reference.startedAt})`,
    '',
    `- newly failing (${c.newlyFailing.length}): ${list(c.newlyFailing)}`,
    ...(c.unjudged.length
      ? [
          `- could not be judged (${c.unjudged.length}; 429/5xx/timeouts outlasted the documented retries — not ` +
            `newly failing, not a pass): ${list(c.unjudged)}`,
        ]
      : []),
    `- fixed (${c.fixed.length}): ${list(c.fixed)}`,
    `- flaky (${c.flaky.length}): ${list(c.flaky)}`,
    `- still failing: ${c.stillFailing.length}`,
    '',
  ].join('\n');
}
