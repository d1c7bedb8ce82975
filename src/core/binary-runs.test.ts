import { describe, expect, it } from 'vitest';
import { binaryRunMin, binaryRuns, binaryTexts, hasBinaryRun } from './binary-runs.ts';

describe('binary runs', () => {
  it('finds every run as long as asked, at every position, and none shorter (the stepped scan misses none)', () => {
    const shortest = 12;
    const min = binaryRunMin(shortest);
    for (const length of [min - 1, min, min + 5]) {
      for (let at = 0; at < 2 * min; at++) {
        const text = `${' .'.repeat(min).slice(0, at)}${'A'.repeat(length)}:${'x. '.repeat(min)}`;
        expect(hasBinaryRun(text, shortest)).toBe(length >= min);
        expect(binaryRuns(text, shortest)).toEqual(length >= min ? [at, at + length] : []);
      }
    }
    // a short run, then one just long enough right after it
    for (let first = 1; first < 2 * min; first++) {
      const text = `${'A'.repeat(first)}:${'B'.repeat(min)}.`;
      expect(binaryRuns(text, shortest)).toEqual(
        first >= min ? [0, first, first + 1, first + 1 + min] : [first + 1, first + 1 + min],
      );
      expect(hasBinaryRun(text, shortest)).toBe(true);
    }
    expect(hasBinaryRun('short', Number.POSITIVE_INFINITY)).toBe(false);
  });

  it('reads a base64 token wherever it starts in a run, and a hex run, as text', () => {
    const secret = 'sk-binary-0123456789';
    const token = Buffer.from(`key ${secret}`).toString('base64');
    for (const before of ['', 'v', 'v1', 'v1/']) {
      expect(binaryTexts(`${before}${token}`, secret.length).some((t) => t.includes(secret))).toBe(true);
    }
    const hex = Buffer.from(`x${secret}`).toString('hex');
    expect(binaryTexts(`a${hex}`, secret.length).some((t) => t.includes(secret))).toBe(true);
    // random bytes hold no stretch of text as long as a secret
    const noise = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 151 + 17) % 256)).toString('base64');
    expect(binaryTexts(noise, secret.length)).toEqual([]);
  });
});
