import { existsSync, readFileSync, statSync } from 'node:fs';
import { HarnessError } from '../core/errors.ts';
import { MAX_HISTORY_BYTES, type HistoryLine } from '../report/history-line.ts';

/** One history line as `drift --history` reads it: the run, what it ran, where its report folder is. */
export interface HistoryRun {
  /** the line's number in the file, from 1 */
  line: number;
  id: string;
  startedAt: string;
  target: string;
  providers: string[];
  reportDir: string;
  /** a shard's line: the night's name (`--run-id`) and the parts it holds */
  shard?: { runId: string; parts: string[] };
}

const FIX = 'pass the history.jsonl a run appends to (`run --history`, by default reports/history.jsonl)';

const bad = (file: string, message: string, fix = FIX, pointer?: string) =>
  new HarnessError('INPUT', message, { file, ...(pointer ? { pointer } : {}), fix });

/** The history file's text: it exists, is a regular file, and is of a history's size. */
function historyText(file: string): string {
  if (!existsSync(file)) throw bad(file, `there is no ${file}`, `check the path; ${FIX}`);
  const stat = statSync(file);
  if (!stat.isFile()) throw bad(file, 'is not a regular file', FIX);
  if (stat.size > MAX_HISTORY_BYTES)
    throw bad(file, `is over ${MAX_HISTORY_BYTES / 1024 / 1024} MB`, 'start a new history file and keep this one');
  return readFileSync(file, 'utf8');
}

/** A whole file that is one JSON document (a results.json, a drift report) is not a history of one run per line. */
function assertNotOneDocument(file: string, text: string): void {
  if (text.trim().split('\n').length < 2) return;
  try {
    const doc = JSON.parse(text) as { tool?: unknown };
    throw bad(
      file,
      `is one JSON document${doc?.tool ? ' (a results.json)' : ''}, not a history (one run per line)`,
      `${FIX}; to compare two runs' results.json, use drift --between <before> <after>`,
    );
  } catch (err) {
    if (err instanceof HarnessError) throw err;
  }
}

/** Each field drift reads, at its JSON pointer: the first missing one is named with its line and the fix. */
function checkLine(file: string, n: number, doc: unknown): HistoryRun {
  const where = `${file}:${n}`;
  const fix =
    `${FIX}; line ${n} may be edited or torn: restore it from a backup or move it away ` + `(sed -i '${n}d' ${file})`;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad(where, `line ${n} is not a JSON object`, fix);
  const d = doc as Partial<HistoryLine>;
  for (const field of ['id', 'startedAt', 'target', 'reportDir'] as const)
    if (typeof d[field] !== 'string')
      throw bad(where, `line ${n} is not a history line: /${field} is not a string`, fix, `/${field}`);
  if (!Array.isArray(d.providers) || !d.providers.every((p) => typeof p === 'string'))
    throw bad(where, `line ${n} is not a history line: /providers is not a list of provider ids`, fix, '/providers');
  if (Number.isNaN(Date.parse(d.startedAt!)))
    throw bad(where, `line ${n}: /startedAt is not a date (${d.startedAt})`, fix, '/startedAt');
  return {
    line: n,
    id: d.id!,
    startedAt: d.startedAt!,
    target: d.target!,
    providers: d.providers,
    reportDir: d.reportDir!,
    ...(d.shard ? { shard: d.shard } : {}),
  };
}

/**
 * The runs of a history file, in file order. Missing, not a regular file, one JSON document instead of one line per
 * run, a line that is not JSON or not a history line: exit 2 naming the file, the line, the JSON pointer and the fix.
 */
export function readHistoryRuns(file: string): HistoryRun[] {
  const text = historyText(file);
  assertNotOneDocument(file, text);
  const runs: HistoryRun[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (err) {
      throw bad(
        `${file}:${i + 1}`,
        `line ${i + 1} is not JSON (${(err as Error).message}): torn by a run killed while appending it, or edited`,
        `move the line away (sed -i '${i + 1}d' ${file}) or restore the file from a backup`,
      );
    }
    runs.push(checkLine(file, i + 1, doc));
  }
  if (!runs.length) throw bad(file, 'holds no runs', `${FIX}; a history gains a line per run`);
  return runs;
}
