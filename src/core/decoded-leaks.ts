/**
 * Decode-then-scan: an encoder may escape only some characters of a secret (`sk%2Dkey`: only the dashes; `\u002b`
 * for one `+`, `\/` for `/`), a spelling no list of encoded forms holds. A text holding `%` or `\` is therefore cut
 * into runs (no whitespace, `"`, `&` or `?`; a JSON escape stays in its run, a `\"` ends it) and each run holding `%`
 * or `\` is decoded layer by layer (percent-decoding, then JSON unescaping, up to LAYERS times each); when a layer
 * holds a secret in any form `leaks` knows, the whole run is replaced (the recorded text then shows `[REDACTED]` where
 * the run was, e.g. `/v1/tasks/abc?[REDACTED]` for a URL whose `k2=…` parameter held the key).
 */
const REDACTED = '[REDACTED]';
/** how many decoding rounds a run gets (URL-encoded twice inside a JSON string escaped twice is 4) */
const LAYERS = 4;

/** Whether `s` has what decode-then-scan decodes (a cheap test: the common text has neither). */
export const mayHideForms = (s: string): boolean => s.includes('%') || s.includes('\\');

/** A run: non-space characters other than `"`, `&`, `?`, with a JSON escape (other than `\"`) kept whole. */
const RUN = /(?:\\[^"\s]|[^\s"&?\\])+/g;
const PERCENT = /(?:%[0-9a-fA-F]{2})+/g;
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Percent-decoding that keeps an invalid escape (`%zz`) as it is and reads bad UTF-8 as U+FFFD. */
export function percentDecoded(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(PERCENT, (escapes) => Buffer.from(escapes.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** JSON string unescaping of every `\uXXXX`, `\/`, `\\`… (a lone or unknown `\` is kept). */
export function jsonUnescaped(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(JSON_ESCAPE, (_all, hex: string | undefined, one: string | undefined) =>
    hex ? String.fromCharCode(Number.parseInt(hex, 16)) : SIMPLE[one!]!,
  );
}

/** Whether some decoding of `run` (percent and JSON, in either order, up to LAYERS rounds) holds a secret. */
function decodedLeaks(run: string, leaks: (decoded: string) => boolean): boolean {
  let text = run;
  for (let round = 0; round < LAYERS; round++) {
    const percent = percentDecoded(text);
    if (percent !== text && leaks(percent)) return true;
    const json = jsonUnescaped(text);
    if (json !== text && leaks(json)) return true;
    const both = jsonUnescaped(percent);
    if (both === text) return false;
    if (leaks(both)) return true;
    text = both;
  }
  // still decoding after LAYERS rounds: fail closed
  return true;
}

/**
 * `text` with every run whose decoded form holds a secret (as `leaks` tells) replaced by `[REDACTED]`; the text as it
 * is when it holds neither `%` nor `\`. The replacement keeps JSON text valid (a run never holds a bare `"` or a
 * trailing lone `\`).
 */
export function redactDecoded(text: string, leaks: (decoded: string) => boolean): string {
  if (!mayHideForms(text)) return text;
  return text.replace(RUN, (run) => (mayHideForms(run) && decodedLeaks(run, leaks) ? REDACTED : run));
}
