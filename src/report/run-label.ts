import type { RunResults } from './build-results.ts';

/**
 * What a run judged, where it is not a conformance run of the checks against a mock or a live target: a client's
 * recorded traffic (verify-client) or a proxy session in front of a gateway. The report headers say it from this.
 */
export type RunSubject =
  | {
      kind: 'verify-client';
      /** the HAR files (or journals) judged */
      har: string[];
      /** exchanges judged (the entries left out are not counted) */
      exchanges: number;
      /** the clients (x-client-id or key fingerprint) whose traffic was judged */
      clients: string[];
      /** entries none of the provider's documented operations place: counted and said, not judged */
      leftOut?: { entries: number; why: string };
      /** no judged entry has a start time: run.startedAt/endedAt are then the judging's own, not the traffic's */
      untimed?: true;
      /** the files' key fingerprints were made under different salts (a key in two of them is two keys), in words */
      fingerprints?: string;
    }
  | {
      kind: 'proxy';
      upstream: string;
      forwarded: number;
      rejectedLocally: number;
      /**
       * forwarded creates whose outcome the proxy cannot know (answered 5xx, never answered, cut at the stop): each
       * may have made a task, so the tasks created are at least `tasksCreated`; `why` says which and what the
       * documents say
       */
      mayHaveCreated?: { creates: number; why: string };
    };

type Run = RunResults['run'];

const listed = (names: string[], most = 5) =>
  names.length > most ? `${names.slice(0, most).join(', ')} and ${names.length - most} more` : names.join(', ');

/** The run's name in a title: `mock run <id>`, `verify-client <files>`, `proxy, upstream <URL>`. */
export function runName(run: Run): string {
  const s = run.subject;
  if (s?.kind === 'verify-client') return `verify-client ${listed(s.har, 3)}`;
  if (s?.kind === 'proxy') return `proxy, upstream ${s.upstream}`;
  return `${run.target} run ${run.id}`;
}

/** What the run was, for the line under the title (a conformance run's target and seed; a recording's clients). */
export function runFacts(run: Run): string {
  const s = run.subject;
  const strict = run.strict ? ' · strict' : '';
  const providers = run.providers.map((p) => p.id).join(', ');
  if (s?.kind === 'verify-client')
    return (
      `provider ${providers} · ${s.exchanges} exchanges · ${s.clients.length === 1 ? 'client' : 'clients'} ` +
      `${listed(s.clients) || 'none'} · ${run.target} traffic` +
      `${s.leftOut ? ` · ${s.leftOut.entries} entries left out` : ''}${strict}`
    );
  if (s?.kind === 'proxy')
    return `provider ${providers} · ${s.forwarded} forwarded, ${s.rejectedLocally} invalid answered locally${strict}`;
  return `${targetFacts(run)}${run.seed === undefined ? '' : ` · seed ${run.seed}`}${strict}`;
}

/** A conformance run's target and the URL judged: `target live at https://gw`, `target mock (built-in mock at …)`. */
function targetFacts(run: Run): string {
  const urls = [...new Set(run.providers.map((p) => p.baseUrl))];
  const where = urls.length === 1 ? `at ${urls[0]}` : `at ${listed(run.providers.map((p) => `${p.id} ${p.baseUrl}`))}`;
  const mocks = run.providers.length === 1 ? 'mock' : 'mocks';
  return run.target === 'mock' ? `target mock (built-in ${mocks} ${where})` : `target ${run.target} ${where}`;
}

/** When: a run's start → end; a recording's traffic time range, then when it was judged. */
export function runTimes(run: Run): string {
  const range = `${run.startedAt} → ${run.endedAt}`;
  if (run.subject?.kind !== 'verify-client') return range;
  const traffic = run.subject.untimed ? 'traffic time unknown (no entry has a start time)' : `traffic ${range}`;
  return `${traffic}${run.judgedAt ? ` · judged ${run.judgedAt}` : ''}`;
}

/** What a reader must know before the counts: entries of a recording left out of the judging, and why. */
export const runNotes = (run: Run): string[] => [
  ...(run.subject?.kind === 'verify-client' && run.subject.leftOut
    ? [`Left out of the judging: ${run.subject.leftOut.why}.`]
    : []),
  ...(run.subject?.kind === 'verify-client' && run.subject.fingerprints
    ? [`Key fingerprints: ${run.subject.fingerprints}.`]
    : []),
  ...(run.missingShards?.length ? [missingShardsNote(run)] : []),
];

/** A merge without some shards: which, and which suite files' checks were never judged (the run is not whole). */
export const missingShardsNote = (run: Run): string =>
  `⚠️ Shards missing (exit 2): ${(run.missingShards ?? []).map((m) => m.shard).join(', ')} of run ` +
  `${run.shardOf ?? run.id} were not merged: the checks of their suite files ` +
  `(${(run.missingShards ?? []).flatMap((m) => m.suiteFiles).join(', ')}) were not judged at all; ` +
  'what is listed comes from the shards given only.';

/**
 * How many billable tasks the run created, as a report says it: the count, or for a proxy whose forwarded creates may
 * have made tasks it never saw, "at least" the count and which creates may have made more.
 */
export function billableTasksLine(run: Run, created: number, acceptedInvalid: number): string {
  const uncertain = run.subject?.kind === 'proxy' ? run.subject.mayHaveCreated : undefined;
  const invalid = acceptedInvalid
    ? ` (${acceptedInvalid} of them invalid requests the gateway should have rejected)`
    : '';
  return uncertain
    ? `Billable tasks this run created: at least ${created}${invalid}; ${uncertain.why}.`
    : `Billable tasks this run created: ${created}${invalid}.`;
}

/** Whether the run itself sent a gateway requests it bills (a live conformance run, a proxy forwarding), not a
 * recording judged after the fact: only then does a report count the billable tasks it created. */
export const sentBillable = (run: Run): boolean => run.target === 'live' && run.subject?.kind !== 'verify-client';
