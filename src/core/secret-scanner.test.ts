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
    // 6,000 forms of 12 characters, their first 8 spread over all hex digits: ~40,000 states in the automaton
    const forms = Array.from(
      { length: 6000 },
      (_, i) => `${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}tail`,
    );
    const many = new SecretScanner(forms);
    for (const form of [forms[0]!, forms[2999]!, forms[5999]!]) expect(many.replace(`a ${form} b`, '#')).toBe('a # b');
    expect(many.replace(`${forms[1]!.slice(0, 11)} x`, '#')).toBe(`${forms[1]!.slice(0, 11)} x`);
  });
});
