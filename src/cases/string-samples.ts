/**
 * Lengths are counted in Unicode code points, as ajv counts them (and as JSON Schema's minLength/maxLength
 * define). Each variant makes a string of exactly n code points from a different kind of character, so a
 * gateway that counts UTF-16 units (emoji = 2), bytes (CJK = 3) or graphemes (e + ◌́ = 1) disagrees visibly.
 */
export const CHARACTER_VARIANTS = [
  { name: 'ascii', unit: 'x' },
  { name: 'cjk', unit: '猫' },
  { name: 'emoji', unit: '🐱' },
  { name: 'combining', unit: 'e\u0301' }, // e + U+0301 (combining acute): two code points, one grapheme
] as const;

export function stringOfCodePoints(n: number, unit: string): string {
  const cps = [...unit];
  const out: string[] = [];
  while (out.length < n) out.push(...cps);
  return out.slice(0, n).join('');
}

/** Near-misses of an enum value that a lenient gateway might accept: case, full-width punctuation, padding. */
export function nearMisses(value: string): string[] {
  const out = new Set<string>();
  if (value.toUpperCase() !== value) out.add(value.toUpperCase());
  else if (value.toLowerCase() !== value) out.add(value.toLowerCase());
  if (value.includes(':')) out.add(value.replace(':', '：'));
  out.add(` ${value}`);
  out.add(`${value} `);
  return [...out].filter((v) => v !== value);
}
