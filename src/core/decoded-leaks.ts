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
/** what can hide a secret's character in a run: `%XX`, `\uXXXX`, `\/`, `\\` (`\n`, `\t`… spell control characters) */
const HIDES = /%|\\[u/\\]/;
const PERCENT = /(?:%[0-9a-fA-F]{2})+/g;
const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Percent-decoding that keeps an invalid escape (`%zz`) as it is and reads bad UTF-8 as U+FFFD. */
export function percentDecoded(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(PERCENT, (escapes) => Buffer.from(escapes.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** JSON string unescaping of every `\uXXXX`, `\/`, `\\`… (a lone or unknown `\` is kept); a loop over `\`s. */
export function jsonUnescaped(s: string): string {
  let at = s.indexOf('\\');
  if (at < 0) return s;
  const parts: string[] = [];
  let from = 0;
  for (; at >= 0 && at < s.length - 1; at = s.indexOf('\\', at)) {
    const next = s[at + 1]!;
    const hex = next === 'u' ? s.slice(at + 2, at + 6) : '';
    const one = hex
      ? /^[0-9a-fA-F]{4}$/.test(hex)
        ? String.fromCharCode(Number.parseInt(hex, 16))
        : undefined
      : SIMPLE[next];
    if (one === undefined) {
      at++;
      continue;
    }
    parts.push(s.slice(from, at), one);
    at += hex ? 6 : 2;
    from = at;
  }
  parts.push(s.slice(from));
  return parts.join('');
}

/** Whether a decoding of `text` (percent, then JSON escapes; LAYERS rounds at most) holds a secret. */
function decodedLeaks(text: string, leaks: (decoded: string) => boolean): boolean {
  let layer = text;
  for (let round = 0; round < LAYERS; round++) {
    const decoded = jsonUnescaped(percentDecoded(layer));
    if (decoded === layer) return false;
    if (leaks(decoded)) return true;
    layer = decoded;
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
  // the whole text decoded first (one scan a layer): runs are looked at only when it holds a secret
  if (!mayHideForms(text) || !decodedLeaks(text, leaks)) return text;
  return text.replace(RUN, (run) => (HIDES.test(run) && decodedLeaks(run, leaks) ? REDACTED : run));
}
