import { describe, expect, it } from 'vitest';
import { SecretScanner } from './secret-scanner.ts';

describe('SecretScanner', () => {
  const scanner = new SecretScanner(['deadBEEF00', 'beef00cafe', 'abc', 's3cr3t-t0ken']);

  it('replaces every form, ignoring case, and overlapping finds as one', () => {
    expect(scanner.replace('a DEADbeef00 b s3CR3T-t0ken c', '#')).toBe('a # b # c');
    // deadbeef00 and beef00cafe overlap: one replacement for both
    expect(scanner.replace('x deadbeef00cafe y', '#')).toBe('x # y');
    expect(scanner.replace('deadbeef00', '#')).toBe('#');
  });

  it('ignores forms shorter than four characters and leaves other text as it is (İ and all)', () => {
    expect(scanner.replace('abc İstanbul deadbeef0', '#')).toBe('abc İstanbul deadbeef0');
    expect(scanner.replace('İ deadbeef00', '#')).toBe('İ #');
    expect(new SecretScanner([]).replace('anything', '#')).toBe('anything');
  });

  it('finds every form when there are too many states for a 16-bit table (many secrets registered)', () => {
    // 16,000 forms of 12 characters, their first 8 spread over all hex digits: ~80,000 states in the trie
    const forms = Array.from(
      { length: 16_000 },
      (_, i) => `${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}tail`,
    );
    const many = new SecretScanner(forms);
    for (const form of [forms[0]!, forms[7999]!, forms[15_999]!])
      expect(many.replace(`a ${form} b`, '#')).toBe('a # b');
    expect(many.replace(`${forms[1]!.slice(0, 11)} x`, '#')).toBe(`${forms[1]!.slice(0, 11)} x`);
  });
});

/** Every find a scan must report: at each position, the longest form there (case ignored), read naively. */
function naiveSpans(forms: string[], text: string): [number, number][] {
  const low = text.toLowerCase();
  const sorted = [...new Set(forms.map((f) => f.toLowerCase()))].sort((a, b) => b.length - a.length);
  const spans: [number, number][] = [];
  for (let at = 0; at < text.length; at++) {
    const form = sorted.find((f) => low.startsWith(f, at));
    if (form) spans.push([at, at + form.length]);
  }
  return spans;
}

/** a seeded generator (mulberry32): the same cases every run */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SecretScanner skipping text (the window moves past no form)', () => {
  it('finds what a naive scan finds, in texts dense with near misses, any case, look-alike characters', () => {
    const next = random(7);
    // few letters: every pair of the text is some form's, most windows nearly match; 乡 and ぁ (no case) share the low
    // bits of a and A
    const alphabet = 'abAB01-%乡ぁ';
    const pick = (n: number) =>
      Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const flip = (s: string) => [...s].map((c) => (next() < 0.5 ? c.toUpperCase() : c)).join('');
    for (let round = 0; round < 200; round++) {
      const forms = Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(4 + Math.floor(next() * 9)));
      let text = pick(Math.floor(next() * 40));
      for (const form of forms) text += flip(form) + pick(Math.floor(next() * 12));
      const found = new SecretScanner(forms).spans(text).sort((a, b) => a[0] - b[0]);
      expect(found, `${JSON.stringify(forms)} in ${JSON.stringify(text)}`).toEqual(naiveSpans(forms, text));
    }
  });

  it('finds a form at every position of a text, right after another form and at the very end', () => {
    const forms = ['sk-live-0123456789', 'c2stbGl2ZS0', '736b2d6c697665'];
    const scanner = new SecretScanner(forms);
    for (const form of forms)
      for (let at = 0; at <= 20; at++) {
        const text = `${'x'.repeat(at)}${form.toUpperCase()}`;
        expect(scanner.replace(text, '#')).toBe(`${'x'.repeat(at)}#`);
        expect(scanner.replace(`${forms[0]}-${text}y`, '#')).toBe(`#-${'x'.repeat(at)}#y`);
      }
  });
});
