/**
 * Base64 and hex runs in a text, and the text they may stand for: what decode-then-scan (decoded-leaks.ts) decodes
 * besides escapes. An API key's spelling is printable ASCII, so of a run's decoding only the stretches of printable
 * ASCII as long as a secret are worth scanning (a decoding at the wrong alignment, or of binary data, has none).
 */

/** base64 and base64url characters (`=` ends a run: it pads, or assigns a value): a table over UTF-16 units */
const BASE64 = new Uint8Array(0x10000);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_') BASE64[c.charCodeAt(0)] = 1;
/** what the spelling of an ASCII secret is made of: printable ASCII, tab, line breaks */
const TEXT = new Uint8Array(0x10000).fill(1, 0x20, 0x7f);
TEXT[9] = TEXT[10] = TEXT[13] = 1;
const HEX_ONLY = /^[0-9a-fA-F]+$/;

/**
 * The runs of `table`'s units in `text` at least `min` long, as [start, end, start, end, …] (when `first`, the first
 * one's start and a position at least `min` after it). Looks at every `min`-th unit first: a run that long holds one
 * of them, so text with few long runs is read in big steps.
 */
function runsOf(text: string, min: number, table: Uint8Array, first = false): number[] {
  const runs: number[] = [];
  const n = text.length;
  for (let p = min - 1; p < n; ) {
    if (table[text.charCodeAt(p)] !== 1) {
      p += min;
      continue;
    }
    let start = p;
    while (start > 0 && table[text.charCodeAt(start - 1)] === 1) start--;
    let end = p + 1;
    // only whether there is one: the run need not be read to its end
    const enough = first ? start + min : n;
    while (end < n && end < enough && table[text.charCodeAt(end)] === 1) end++;
    if (end - start >= min) {
      runs.push(start, end);
      if (first) break;
    }
    p = end + min;
  }
  return runs;
}

/** The shortest base64 run that can spell a secret `shortest` characters long (4 characters per 3 bytes). */
export const binaryRunMin = (shortest: number): number =>
  Number.isFinite(shortest) ? Math.max(8, Math.floor((shortest * 4) / 3)) : Number.POSITIVE_INFINITY;

/** Whether `text` has a base64 run long enough to spell a secret `shortest` characters long. */
export function hasBinaryRun(text: string, shortest: number): boolean {
  const min = binaryRunMin(shortest);
  return text.length >= min && runsOf(text, min, BASE64, true).length > 0;
}

/** The base64 runs of `text` long enough to spell a secret `shortest` characters long, as [start, end, …]. */
export const binaryRuns = (text: string, shortest: number): number[] =>
  text.length >= binaryRunMin(shortest) ? runsOf(text, binaryRunMin(shortest), BASE64) : [];

/**
 * What a run may stand for: its base64 decoding at each of 4 alignments (a token may start anywhere in a run, e.g.
 * after a path's `/`) and, for a hex run, its hex decoding at 2; of each, the stretches of printable ASCII `shortest`
 * long or longer.
 */
export function binaryTexts(run: string, shortest: number): string[] {
  const decodings: string[] = [];
  // bytes as latin1 (a fast decoding): the stretches kept are ASCII, the same in UTF-8
  for (let at = 0; at < 4; at++) decodings.push(Buffer.from(run.slice(at), 'base64').toString('latin1'));
  if (HEX_ONLY.test(run))
    for (let at = 0; at < 2; at++) decodings.push(Buffer.from(run.slice(at), 'hex').toString('latin1'));
  const texts: string[] = [];
  for (const decoded of decodings) {
    const stretches = runsOf(decoded, shortest, TEXT);
    for (let k = 0; k < stretches.length; k += 2) texts.push(decoded.slice(stretches[k], stretches[k + 1]));
  }
  return texts;
}
