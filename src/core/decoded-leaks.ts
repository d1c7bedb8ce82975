/**
 * Decode-then-scan: an encoder may escape only some characters of a secret (`sk%2Dkey`: only the dashes; `\u002b`
 * for one `+`, `\/` for `/`, `&#45;`, `\x2d`), a spelling no list of encoded forms holds, and may wrap such a spelling
 * in base64 or hex. A text holding `%`, `\` or `&` is therefore decoded layer by layer (each round percent-decodes,
 * then unescapes JSON / JavaScript escapes, then HTML character references; LAYERS rounds at most), and every long
 * base64 or hex run of each layer is decoded too (at each alignment) and looked at the same way. Each decoded
 * character remembers which characters of the text it came from, so what a layer's scan finds is cut out of the text
 * as written, escapes whole: `k=sk&#45;key&b=2` becomes `k=[REDACTED]&b=2`; a base64 or hex run whose decoding holds
 * a secret is replaced whole.
 */
import { binaryRuns, binaryTexts, hasBinaryRun } from './binary-runs.ts';
import { cutOut, type Span } from './secret-scanner.ts';

const REDACTED = '[REDACTED]';
/** how many decoding rounds a text gets (URL-encoded twice inside a JSON string escaped twice is 4) */
const LAYERS = 4;
/**
 * how many rounds a text gets once it is known to hide a find (or to decode past LAYERS): more, so that where the
 * secret lies is found, not guessed
 */
const TRACKED_LAYERS = 16;
/** how many base64 / hex decodings may nest (base64 of base64 of a partial spelling: 2) */
const BINARY_DEPTH = 2;

/** What is to be removed from a text (a decoded layer of it): spans in its own positions. */
export type Find = (text: string) => Span[];

const PERCENT = /(?:%[0-9a-fA-F]{2})+/g;
const BACKSLASH = /\\(?:u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\}|x[0-9a-fA-F]{2}|["\\/bfnrt])/g;
/** HTML character references: numeric ones with or without their `;` (browsers read both), named ones with it */
const ENTITY = /&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z]{2,8};)/g;
/**
 * Whether `s` may have an escape decoding decodes: a `%` or a `\`, or an `&` that starts a character reference (a
 * cheap test: most text has none; a query string's `&` starts none).
 */
export const mayHideForms = (s: string): boolean => s.includes('%') || s.includes('\\') || hasReference(s);

/** Whether an `&` in `s` is followed by `#`, or by 2 to 8 letters and a `;`. */
function hasReference(s: string): boolean {
  for (let at = s.indexOf('&'); at >= 0; at = s.indexOf('&', at + 1)) {
    if (s.charCodeAt(at + 1) === 35) return true;
    let end = at + 1;
    while (end - at <= 8 && isLetter(s.charCodeAt(end))) end++;
    if (end - at >= 3 && s.charCodeAt(end) === 59) return true;
  }
  return false;
}
const isLetter = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;
const SIMPLE: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** HTML's named references for ASCII characters (what an escaper may use for a key's punctuation) */
const NAMED: Record<string, string> = Object.fromEntries(
  (
    'amp & lt < gt > quot " apos \' sol / bsol \\ plus + equals = num # percnt % colon : semi ; lowbar _ period . ' +
    'comma , excl ! quest ? commat @ lpar ( rpar ) lsqb [ rsqb ] lbrack [ rbrack ] lcub { rcub } lbrace { rbrace } ' +
    'dollar $ ast * midast * verbar | vert | grave ` Hat ^'
  )
    .split(' ')
    .flatMap((word, i, all) => (i % 2 ? [] : [[word, all[i + 1]!]])),
);

const codePoint = (n: number) => (n <= 0x10ffff ? String.fromCodePoint(n) : undefined);

/** `%XX…` as UTF-8 (bad UTF-8 as U+FFFD). */
const fromPercent = (escapes: string) => Buffer.from(escapes.replace(/%/g, ''), 'hex').toString('utf8');
function fromBackslash(code: string): string | undefined {
  const kind = code[1]!;
  if (kind === 'x') return String.fromCharCode(Number.parseInt(code.slice(2), 16));
  if (kind !== 'u') return SIMPLE[kind];
  return code[2] === '{'
    ? codePoint(Number.parseInt(code.slice(3, -1), 16))
    : String.fromCharCode(Number.parseInt(code.slice(2), 16));
}
function fromEntity(ref: string): string | undefined {
  if (ref[1] !== '#') return NAMED[ref.slice(1, -1)];
  const hex = ref[2] === 'x' || ref[2] === 'X';
  return codePoint(Number.parseInt(ref.slice(hex ? 3 : 2, ref.endsWith(';') ? -1 : undefined), hex ? 16 : 10));
}

/** One decoding pass: which escapes, and what each stands for (undefined: kept as written). */
interface Pass {
  escapes: RegExp;
  decode: (code: string) => string | undefined;
}
const PASSES: Pass[] = [
  { escapes: PERCENT, decode: fromPercent },
  { escapes: BACKSLASH, decode: fromBackslash },
  { escapes: ENTITY, decode: fromEntity },
];
const TRIGGERS = ['%', '\\', '&'];

/**
 * A layer of decoding: its text and, per UTF-16 unit, the span of the original text it came from (`from`..`to`;
 * undefined while the layer is the original text).
 */
interface Layer {
  text: string;
  from?: Int32Array;
  to?: Int32Array;
}

/** `layer` decoded by one pass (the same layer when nothing decodes); positions kept when `track`. */
function decodePass(layer: Layer, pass: Pass, trigger: string, track: boolean): Layer {
  const { text } = layer;
  if (!text.includes(trigger)) return layer;
  if (!track) {
    const decoded = text.replace(pass.escapes, (code) => pass.decode(code) ?? code);
    return decoded === text ? layer : { text: decoded };
  }
  const parts: string[] = [];
  const spans: number[] = [];
  let last = 0;
  for (const match of text.matchAll(pass.escapes)) {
    const one = pass.decode(match[0]);
    if (one === undefined) continue;
    const at = match.index;
    parts.push(text.slice(last, at), one);
    spans.push(last, at, at + match[0].length, one.length);
    last = at + match[0].length;
  }
  if (!parts.length) return layer;
  parts.push(text.slice(last));
  const decoded = parts.join('');
  return { text: decoded, ...positions(layer, spans, decoded.length) };
}

/**
 * Where each unit of a decoded text came from in the original: `escapes` holds, per decoded escape, the start of the
 * plain text before it, its own start and end in `layer`, and how many units it decoded to. An ASCII run of `%XX`
 * maps unit by unit; any other escape's units all map to the whole escape.
 */
function positions(layer: Layer, escapes: number[], length: number): { from: Int32Array; to: Int32Array } {
  const from = new Int32Array(length);
  const to = new Int32Array(length);
  const start = (i: number) => (layer.from ? layer.from[i]! : i);
  const end = (i: number) => (layer.to ? layer.to[i - 1]! : i);
  let out = 0;
  const plain = (a: number, b: number) => {
    for (let i = a; i < b; i++, out++) [from[out], to[out]] = [start(i), end(i + 1)];
  };
  let at = 0;
  for (let k = 0; k < escapes.length; k += 4) {
    const [before, begin, finish, units] = [escapes[k]!, escapes[k + 1]!, escapes[k + 2]!, escapes[k + 3]!];
    plain(before, begin);
    const step = layer.text[begin] === '%' && units * 3 === finish - begin ? 3 : 0;
    for (let u = 0; u < units; u++, out++) {
      from[out] = start(step ? begin + u * step : begin);
      to[out] = end(step ? begin + (u + 1) * step : finish);
    }
    at = finish;
  }
  plain(at, layer.text.length);
  return { from, to };
}

/** One round: percent, then backslash escapes, then HTML references. */
function decodeRound(layer: Layer, track: boolean): Layer {
  let out = layer;
  PASSES.forEach((pass, i) => {
    out = decodePass(out, pass, TRIGGERS[i]!, track);
  });
  return out;
}

/** A layer's span in the original text's positions. */
const original = (layer: Layer, [a, b]: Span): Span =>
  layer.from && layer.to ? [layer.from[a]!, layer.to[b - 1]!] : [a, b];

/** A run that still decodes after the last round (fail closed: it is removed whole). */
const RUN = /(?:\\[^"\s]|&(?:#\w{1,8};?|[A-Za-z]{2,8};)|[^\s"&?\\])+/g;

/**
 * What of `text` is to be removed because a decoding of it holds what `find` finds, in `text`'s positions. Without
 * `track`, the search stops at the first find and returns a span covering the text.
 */
function hiddenSpans(
  text: string,
  find: Find,
  shortest: number,
  depth: number,
  track: boolean,
  escapes = true,
): Span[] {
  const spans: Span[] = [];
  let layer: Layer = { text };
  for (let round = 0; ; round++) {
    if (round > 0) spans.push(...find(layer.text).map((s) => original(layer, s)));
    if (depth > 0) {
      const binary = binarySpans(layer.text, find, shortest, depth, !track);
      spans.push(...binary.map((s) => original(layer, s)));
    }
    if (spans.length && !track) return [[0, text.length]];
    if (!escapes || !mayHideForms(layer.text)) break;
    const next = decodeRound(layer, track);
    if (next.text === layer.text) break;
    if (round === (track ? TRACKED_LAYERS : LAYERS)) {
      // still decoding after the last round: each run that decodes further is removed
      for (const m of layer.text.matchAll(RUN))
        if (decodeRound({ text: m[0] }, false).text !== m[0])
          spans.push(original(layer, [m.index, m.index + m[0].length]));
      break;
    }
    layer = next;
  }
  return track || !spans.length ? spans : [[0, text.length]];
}

/** The base64 / hex runs of `text` whose decoding hides a find (`first`: the first such run only). */
function binarySpans(text: string, find: Find, shortest: number, depth: number, first: boolean): Span[] {
  const spans: Span[] = [];
  const runs = binaryRuns(text, shortest);
  // a long text repeats its runs (a report's ids and bodies): each run is decoded once
  const seen = new Map<string, boolean>();
  for (let k = 0; k < runs.length; k += 2) {
    const run = text.slice(runs[k], runs[k + 1]);
    let leaks = runs.length > 2 ? seen.get(run) : undefined;
    if (leaks === undefined) {
      leaks = binaryTexts(run, shortest).some(
        (t) => find(t).length > 0 || hiddenSpans(t, find, shortest, depth - 1, false).length > 0,
      );
      if (runs.length > 2) seen.set(run, leaks);
    }
    if (leaks) spans.push([runs[k]!, runs[k + 1]!]);
    if (leaks && first) break;
  }
  return spans;
}

/**
 * `text` with every part whose decoding holds what `find` finds replaced by `[REDACTED]`; the text as it is when
 * nothing decodes to a find. `shortest`: the length of the shortest secret `find` knows (base64 and hex runs too short
 * to spell one are not decoded; Infinity: none is). `escapes`: whether `text` is to be unescaped (false for a JSON
 * literal of a string without escapes: unescaping it gives back the string, already scanned as the literal).
 */
export function redactDecoded(text: string, find: Find, shortest: number, escapes = mayHideForms(text)): string {
  if (!escapes && !hasBinaryRun(text, shortest)) return text;
  if (!hiddenSpans(text, find, shortest, BINARY_DEPTH, false, escapes).length) return text;
  // what is cut out is looked at again: a spelling only the cut brings together is cut too, and a text still hiding
  // one after CUTS cuts is replaced whole (a JSON string literal stays one)
  let out = text;
  for (let cut = 0; cut < CUTS; cut++) {
    const spans = hiddenSpans(out, find, shortest, BINARY_DEPTH, true, escapes);
    if (!spans.length) return out;
    out = cutOut(out, spans, REDACTED);
  }
  return /^".*"$/s.test(out) ? `"${REDACTED}"` : REDACTED;
}
/** how many times redactDecoded cuts a text before replacing it whole */
const CUTS = 3;

/** Percent-decoding that keeps an invalid escape (`%zz`) as it is and reads bad UTF-8 as U+FFFD. */
export const percentDecoded = (s: string): string => decodePass({ text: s }, PASSES[0]!, '%', false).text;
/** JSON (and JavaScript `\x`, `\u{…}`) string unescaping; a lone or unknown `\` is kept. */
export const jsonUnescaped = (s: string): string => decodePass({ text: s }, PASSES[1]!, '\\', false).text;
