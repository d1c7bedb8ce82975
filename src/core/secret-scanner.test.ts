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
});
