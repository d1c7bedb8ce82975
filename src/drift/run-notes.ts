import type { RunResults } from '../report/build-results.ts';
import { specsChanged } from './run-changes.ts';

type Side = { file: string; results: RunResults };

const ids = (r: RunResults) => r.run.providers.map((p) => p.id);

/**
 * What makes two runs less comparable, said before their changes: another target or mock claims, providers in one
 * run only, a provider's spec changed between them, or not recorded (a results.json written before specs were).
 */
export function runNotes(before: Side, after: Side): string[] {
  const b = before.results.run;
  const a = after.results.run;
  const notes: string[] = [];
  if (a.target !== b.target)
    notes.push(
      `the runs are against different targets (${before.file}: ${b.target}, ${after.file}: ${a.target}): ` +
        'a mock follows the documents, so a change may be the mock against the gateway, not the gateway over time',
    );
  else if (a.target === 'mock' && (a.mockClaims ?? 'mock') !== (b.mockClaims ?? 'mock'))
    notes.push(
      `the mocks followed different claims (--mock-claims ${b.mockClaims ?? 'mock'}, ` +
        `then ${a.mockClaims ?? 'mock'}): ` +
        'a change is the mock switching claims',
    );
  for (const [run, other] of [
    [before, after],
    [after, before],
  ] as const) {
    const only = ids(run.results).filter((id) => !ids(other.results).includes(id));
    if (only.length)
      notes.push(`only ${run.file} ran ${only.join(', ')}: its facts are listed as observed in one run only`);
  }
  for (const id of specsChanged(before.results, after.results)) {
    const specOf = (r: RunResults['run']) => r.providers.find((p) => p.id === id)!.spec!;
    const [sb, sa] = [specOf(b), specOf(a)];
    notes.push(
      `the spec of ${id} differs between the runs (version ${sb.version}, digest ${sb.digest.slice(0, 12)} → ` +
        `version ${sa.version}, digest ${sa.digest.slice(0, 12)}): ` +
        "its changes may be the documents', not the gateway's",
    );
  }
  for (const side of [before, after]) {
    const unknown = ids(side.results).filter(
      (id) =>
        ids(side === before ? after.results : before.results).includes(id) &&
        !side.results.run.providers.find((p) => p.id === id)!.spec,
    );
    if (unknown.length)
      notes.push(
        `${side.file} does not record which spec it read (written by an earlier kling-conformance): whether the spec ` +
          `of ${unknown.join(', ')} changed between the runs is not known`,
      );
  }
  return notes;
}
