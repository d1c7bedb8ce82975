import type { JournalEntry } from './har-entry.ts';
import type { Har, HarEntry, KcLogMeta } from './har-types.ts';
import { harEntryOf } from './journal-entry.ts';

/**
 * A HAR from a recording journal (JSON lines: the log's head, then one entry per line, each header set and each
 * recurring string an entry refers to by id defined on a line before it). A last line cut short by a killed writer is
 * left out and said so (`_kc.tornTail`); a line marking where the byte bound was reached sets `_kc.dropped`. Entries
 * are ordered by their monotonic start time.
 */
export function harFromJournal(text: string): Har {
  const lines = text.split('\n');
  let head: { creator?: Har['log']['creator'] } & KcLogMeta = {};
  const entries: HarEntry[] = [];
  let tornTail = false;
  let dropped = false;
  /** header sets and strings by id (a line defines one before the entries that refer to it) */
  const sets = new Map<number, JournalEntry['headers']>();
  const strings = new Map<number, string>();
  /** the entry a `_kc_again` line repeats */
  let previous: JournalEntry | undefined;
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // only the last line can be torn (one write per batch, O_APPEND); anything else is not our journal
      if (i >= lines.length - 2) tornTail = true;
      else throw new Error(`line ${i + 1} is not JSON`);
      return;
    }
    if (value._kc_log) head = value._kc_log as typeof head;
    else if (value._kc_dropped_from !== undefined) dropped = true;
    else if (typeof value._kc_headers === 'number') sets.set(value._kc_headers, value.set as JournalEntry['headers']);
    else if (typeof value._kc_string === 'number') strings.set(value._kc_string, value.v as string);
    else if (value.kc) {
      previous = withStrings(withHeaderSets(value as unknown as JournalEntry, sets), strings);
      entries.push(harEntryOf(previous, head.epochMs ?? 0));
    } else if (Array.isArray(value._kc_again)) {
      if (!previous) throw new Error(`line ${i + 1} repeats an entry, but no entry comes before it`);
      for (const entry of repeatsOf(previous, value._kc_again as unknown[], i + 1)) {
        entries.push(harEntryOf(entry, head.epochMs ?? 0));
        previous = entry;
      }
    }
    // a whole HAR entry per line (what recordings wrote before the compact line)
    else entries.push(value as unknown as HarEntry);
  });
  entries.sort((a, b) => (a._kc?.monotonicMs ?? 0) - (b._kc?.monotonicMs ?? 0));
  const { creator, epochMs: _epoch, ...meta } = head;
  return {
    log: {
      version: '1.2',
      creator: creator ?? { name: 'kling-conformance', version: 'unknown' },
      entries,
      _kc: { ...meta, ...(tornTail ? { tornTail } : {}), ...(dropped ? { dropped: meta.dropped ?? 1 } : {}) },
    },
  };
}

/**
 * The entries a `_kc_again` line stands for: each like `previous`, its sequence number the one before's plus one, its
 * monotonic start and duration from the line (`[monotonicMs, time, …]`).
 */
function repeatsOf(previous: JournalEntry, times: unknown[], line: number): JournalEntry[] {
  if (times.length % 2 || !times.every((t) => typeof t === 'number'))
    throw new Error(`line ${line}: a repeat line holds pairs of numbers`);
  const out: JournalEntry[] = [];
  let before = previous;
  for (let at = 0; at < times.length; at += 2) {
    before = {
      ...before,
      kc: { ...before.kc, seq: before.kc.seq + 1, monotonicMs: times[at] as number },
      time: times[at + 1] as number,
    };
    out.push(before);
  }
  return out;
}

/** An entry with each header set it refers to by id (a number) in place (an unknown id: not our journal). */
function withHeaderSets(e: JournalEntry, sets: Map<number, JournalEntry['headers']>): JournalEntry {
  const set = (ref: unknown) => {
    const found = sets.get(ref as number);
    if (!found) throw new Error(`header set ${ref} is not defined before its use`);
    return found;
  };
  if (typeof e.headers === 'number') e.headers = set(e.headers);
  if (typeof e.resHeaders === 'number') e.resHeaders = set(e.resHeaders) as Record<string, string>;
  return e;
}

/** the fields of a journal line that hold a string (or, written with a journal file, the id of a string line) */
const ENTRY_STRINGS = ['method', 'url', 'body', 'bodyComment', 'resBody', 'resComment'] as const;
const KC_STRINGS = ['client', 'key', 'operation', 'taskId', 'step', 'fault'] as const;

/** An entry with each string it refers to by id (a number) in place (an unknown id: not our journal). */
function withStrings(e: JournalEntry, strings: Map<number, string>): JournalEntry {
  const string = (ref: number) => {
    const found = strings.get(ref);
    if (found === undefined) throw new Error(`string ${ref} is not defined before its use`);
    return found;
  };
  const line = e as unknown as Record<string, unknown>;
  for (const name of ENTRY_STRINGS) if (typeof line[name] === 'number') line[name] = string(line[name] as number);
  const kc = e.kc as unknown as Record<string, unknown>;
  for (const name of KC_STRINGS) if (typeof kc[name] === 'number') kc[name] = string(kc[name] as number);
  return e;
}

/** A journal starts with its head line; a HAR is one JSON object with `log`. */
export const isJournal = (text: string): boolean => /^\s*\{"_kc_log"/.test(text);
