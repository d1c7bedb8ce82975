/** A part of a text: its start and end positions. */
export type Span = [number, number];

/**
 * Finds many fixed strings (a secret's encoded forms: a few hundred) in a text, ignoring ASCII case (hex digits come
 * in either case, even mixed). One regular expression of that many alternatives ran at 2 MB/s here; an Aho–Corasick
 * automaton reading every character cost ~5 ns a character. This skips as Wu–Manber does: of a window as wide as the
 * forms' common beginning (`width`), it reads the last two characters; where no form has that pair at any place of its
 * beginning, no form begins in the window and it moves past it (a JSON body: ~1 pair read per 6 characters). Only
 * where some form's beginning ends with that pair is a trie of the beginnings walked from the window's start, and
 * only where that walk reaches a whole beginning are whole forms compared.
 */
export class SecretScanner {
  /** how many characters of each form the trie knows (the window) */
  private readonly width: number = 0;
  /** the length of the shortest form (Infinity for none) */
  readonly shortest: number = Number.POSITIVE_INFINITY;
  /** byte (low byte of a character's code, upper case folded) → column of the trie's table */
  private readonly column = new Uint8Array(256);
  private readonly columns: number = 1;
  /**
   * pairKey of the window's last two characters → how far the window may move (0: a form's beginning may end there)
   */
  private readonly shift: Uint8Array = new Uint8Array(0);
  /** the trie: state × columns + column → child state (0: none; the root, state 0, is nobody's child) */
  private readonly child: Uint16Array | Uint32Array = new Uint16Array(0);
  /** the states `width` deep → the forms beginning there (longest first) */
  private readonly found = new Map<number, string[]>();

  /** `forms`: four characters or longer (shorter ones are ignored) */
  constructor(forms: Iterable<string>) {
    const all = [...new Set([...forms].map((f) => f.toLowerCase()))].filter((f) => f.length >= 4);
    if (!all.length) return;
    all.sort((a, b) => b.length - a.length);
    this.shortest = all[all.length - 1]!.length;
    this.width = Math.min(8, ...all.map((f) => f.length));
    for (const form of all) for (let i = 0; i < this.width; i++) this.column[byte(form, i)] ||= this.columns++;
    // upper-case letters read as their lower case
    for (let b = 65; b <= 90; b++) this.column[b] = this.column[b + 32]!;
    this.shift = shifts(all, this.width);
    const trie = buildTrie(all, this.width, this.column);
    this.child = table(trie.children, this.columns);
    this.found = trie.ends;
  }

  /** `text` with every form replaced by `replacement` (overlapping finds merged into one). */
  replace(text: string, replacement: string): string {
    const spans = this.spans(text);
    return spans.length ? cutOut(text, spans, replacement) : text;
  }

  /** Where the forms are in `text` (finds may overlap). */
  spans(text: string): Span[] {
    const spans: Span[] = [];
    const { width, shift } = this;
    if (!width) return spans;
    const starts: number[] = [];
    const ends: number[] = [];
    // the window [at, at + width): `end` is its last character
    for (let end = width - 1; end < text.length; ) {
      const by = shift[pairKey(text.charCodeAt(end - 1), text.charCodeAt(end))]!;
      if (by) {
        end += by;
        continue;
      }
      const state = this.walk(text, end - width + 1);
      if (state) {
        starts.push(end - width + 1);
        ends.push(state);
      }
      end++;
    }
    if (!starts.length) return spans;
    const low = lowerAscii(text);
    starts.forEach((start, k) => {
      const form = this.found.get(ends[k]!)!.find((f) => low.startsWith(f, start));
      if (form) spans.push([start, start + form.length]);
    });
    return spans;
  }

  /** The trie's state `width` characters from `at` (0 when no form begins with them). */
  private walk(text: string, at: number): number {
    const { column, columns, child } = this;
    let state = 0;
    for (let i = at; i < at + this.width; i++) {
      state = child[state * columns + column[text.charCodeAt(i) & 0xff]!]!;
      if (state === 0) return 0;
    }
    return state;
  }
}

/**
 * Two characters as one index of a 16 KB table: the low 7 bits of each code (characters that share them share an
 * entry: the table holds the smallest move of any, so a text is never skipped past a form; the trie and the final
 * comparison tell them apart).
 */
const pairKey = (a: number, b: number) => ((a & 0x7f) << 7) | (b & 0x7f);

/**
 * For each pair of characters (pairKey): how far a window ending in it may move without passing the beginning of a
 * form. A form whose characters i−1, i (i < width) are that pair may begin width − 1 − i characters further on; a pair
 * in no form's beginning moves the window by width − 1 (its last character may begin a form). Upper and lower case
 * share the move.
 */
function shifts(forms: string[], width: number): Uint8Array {
  const shift = new Uint8Array(1 << 14).fill(width - 1);
  for (const form of forms)
    for (let i = 1; i < width; i++)
      for (const a of cases(byte(form, i - 1)))
        for (const b of cases(byte(form, i))) {
          const key = pairKey(a, b);
          shift[key] = Math.min(shift[key]!, width - 1 - i);
        }
  return shift;
}

/** a folded byte and the byte that folds to it (its upper case) */
const cases = (b: number) => (b >= 97 && b <= 122 ? [b, b - 32] : [b]);

/** the low byte of a character's code, upper case folded (positions in a latin1 Buffer of the text) */
const byte = (s: string, i: number) => {
  const b = s.charCodeAt(i) & 0xff;
  return b >= 65 && b <= 90 ? b + 32 : b;
};

/** The trie of each form's first `width` characters: children per state by column, and the forms ending at each. */
function buildTrie(forms: string[], width: number, column: Uint8Array) {
  const children: Map<number, number>[] = [new Map()];
  const ends = new Map<number, string[]>();
  for (const form of forms) {
    let state = 0;
    for (let i = 0; i < width; i++) {
      const c = column[byte(form, i)]!;
      let child = children[state]!.get(c);
      if (child === undefined) {
        child = children.length;
        children.push(new Map());
        children[state]!.set(c, child);
      }
      state = child;
    }
    const list = ends.get(state);
    if (list) list.push(form);
    else ends.set(state, [form]);
  }
  return { children, ends };
}

/** The trie as one table: state × columns + column → child (16-bit while the states fit: half the memory). */
function table(children: Map<number, number>[], columns: number): Uint16Array | Uint32Array {
  const size = children.length * columns;
  const out = children.length <= 0xffff ? new Uint16Array(size) : new Uint32Array(size);
  children.forEach((edges, state) => {
    for (const [c, child] of edges) out[state * columns + c] = child;
  });
  return out;
}

/** `text` with the (possibly overlapping) spans replaced, each run of overlapping spans by one `replacement`. */
export function cutOut(text: string, spans: Span[], replacement: string): string {
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  let [start, end] = spans[0]!;
  for (const [s, e] of spans.slice(1)) {
    if (s <= end) end = Math.max(end, e);
    else {
      out += text.slice(last, start) + replacement;
      last = end;
      [start, end] = [s, e];
    }
  }
  return out + text.slice(last, start) + replacement + text.slice(end);
}

/** Lower case, position for position (toLowerCase lengthens a few characters, e.g. İ: those are left alone). */
function lowerAscii(text: string): string {
  const low = text.toLowerCase();
  return low.length === text.length ? low : text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
