import { HarnessError } from '../core/errors.ts';
import { formatPointer } from '../core/json-pointer.ts';
import type { SourceDocument } from './yaml-source.ts';

/** What the ReDoS check may spend on one pattern: a pattern not proven safe within it is refused (fail closed). */
const CHECK_BUDGET = { timeout: 1000, maxSteps: 5000 };

/**
 * Every regular expression a spec gives (`pattern`, `patternProperties` keys) must run in linear-enough time: a spec
 * from an untrusted pull request must not turn validation into a denial of service (`^(a+)+$` took 3.5 s on 26
 * characters). redos-detector proves a pattern free of exponential and polynomial backtracking, or the spec is
 * refused with the pattern's pointer. Patterns are checked once per spec text (validated specs are cached).
 */
export async function checkPatterns(source: SourceDocument): Promise<void> {
  const found: { pointer: string; pattern: string }[] = [];
  collect(source.data, [], found);
  if (found.length === 0) return;
  const { isSafePattern } = await import('redos-detector');
  const verdicts = new Map<string, ReturnType<typeof isSafePattern>>();
  for (const { pointer, pattern } of found) {
    let verdict = verdicts.get(pattern);
    if (!verdict) {
      try {
        verdict = isSafePattern(pattern, { unicode: true, ...CHECK_BUDGET });
      } catch {
        continue; // not a pattern redos-detector reads: ajv's compile reports it as invalid
      }
      verdicts.set(pattern, verdict);
    }
    if (verdict.safe) continue;
    const line = source.lineOf(pointer);
    throw new HarnessError(
      'SPEC_INVALID',
      `the pattern ${JSON.stringify(pattern)} can take exponential or polynomial time to match (catastrophic ` +
        `backtracking${verdict.error === 'timedOut' ? '; not proven safe in time' : ''})` +
        `${line ? ` (line ${line})` : ''}`,
      {
        file: source.file,
        pointer,
        fix: 'rewrite it without nested or overlapping repetition, e.g. ^(a+)+$ as ^a+$',
      },
    );
  }
}

function collect(value: unknown, path: string[], out: { pointer: string; pattern: string }[]): void {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) collect(v, [...path, String(i)], out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'pattern' && typeof child === 'string')
      out.push({ pointer: formatPointer([...path, key]), pattern: child });
    if (key === 'patternProperties' && child && typeof child === 'object')
      for (const name of Object.keys(child)) out.push({ pointer: formatPointer([...path, key, name]), pattern: name });
    collect(child, [...path, key], out);
  }
}
