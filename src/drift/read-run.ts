import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HarnessError } from '../core/errors.ts';
import type { RunResults } from '../report/build-results.ts';

/** A results.json is a few MB: a larger file is not one. */
const MAX_RESULTS_BYTES = 256 * 1024 * 1024;

const FIX = 'pass the results.json a run wrote (or its report folder, e.g. reports/<timestamp>/)';

/** `pointer` '': the file as a whole (missing, not JSON), named without a pointer. */
const bad = (file: string, pointer: string, message: string, fix = FIX) =>
  new HarnessError('INPUT', message, { file, ...(pointer ? { pointer } : {}), fix });

/** What a JSON file that is not a results.json looks like, so the error can say what was passed instead. */
function kindOf(doc: Record<string, unknown>): string {
  if (doc.log && typeof doc.log === 'object') return 'a HAR recording';
  if ('items' in doc && 'kind' in doc) return 'a drift report';
  if ('changes' in doc && 'counts' in doc) return 'a spec diff or a run comparison';
  if ('reportDir' in doc && 'summary' in doc) return 'a history line';
  return 'not a results.json';
}

/** The file named, or a report folder's results.json. */
function resultsFile(path: string): string {
  if (!existsSync(path)) throw bad(path, '', `there is no ${path}`, `check the path; ${FIX}`);
  return statSync(path).isDirectory() ? join(path, 'results.json') : path;
}

function parse(file: string): unknown {
  if (!existsSync(file)) throw bad(file, '', `the folder has no results.json`, FIX);
  const stat = statSync(file);
  if (!stat.isFile()) throw bad(file, '', 'is not a regular file', FIX);
  if (stat.size > MAX_RESULTS_BYTES) throw bad(file, '', `is over ${MAX_RESULTS_BYTES / 1024 / 1024} MB`, FIX);
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    // a history.jsonl has one JSON document per line
    const jsonLines = text.trim().split('\n').length > 1 && text.trimStart().startsWith('{');
    throw bad(
      file,
      '',
      `is not JSON (${(err as Error).message})${jsonLines ? '; it looks like a history.jsonl' : ''}`,
      `${FIX}; a history.jsonl keeps each run's report folder under "reportDir"`,
    );
  }
}

/** Each field the comparison reads, at its JSON pointer: the first one missing or of another type is named. */
function checkShape(file: string, doc: unknown): asserts doc is RunResults {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad(file, '', 'is not a JSON object', FIX);
  const d = doc as Record<string, unknown>;
  if ((d.tool as { name?: unknown } | undefined)?.name !== 'kling-conformance')
    throw bad(file, '/tool/name', `is ${kindOf(d)}: /tool/name is not "kling-conformance"`, FIX);
  const run = d.run as Record<string, unknown> | undefined;
  if (!run || typeof run !== 'object') throw bad(file, '/run', 'has no run record', FIX);
  for (const field of ['id', 'target', 'startedAt'] as const)
    if (typeof run[field] !== 'string') throw bad(file, `/run/${field}`, `/run/${field} is not a string`, FIX);
  if (!Array.isArray(run.providers)) throw bad(file, '/run/providers', '/run/providers is not an array', FIX);
  run.providers.forEach((p: { id?: unknown }, i) => {
    if (typeof p?.id !== 'string') throw bad(file, `/run/providers/${i}/id`, 'a provider has no id', FIX);
  });
  if (!Array.isArray(d.results)) throw bad(file, '/results', '/results is not an array', FIX);
  d.results.forEach((r: Record<string, unknown> | null, i) => {
    for (const field of ['provider', 'id', 'status'] as const)
      if (typeof r?.[field] !== 'string')
        throw bad(
          file,
          `/results/${i}/${field}`,
          `result ${i} has no ${field}`,
          `${FIX}; the file may be cut short or edited`,
        );
  });
}

/**
 * A run for `drift --between`: a results.json, or the report folder holding one. Missing, not JSON, or not a run's
 * results (a HAR, a drift report, a history) is exit 2 naming the file, the JSON pointer and the fix.
 */
export function readRun(path: string): { file: string; results: RunResults } {
  const file = resultsFile(path);
  const doc = parse(file);
  checkShape(file, doc);
  return { file, results: doc };
}
