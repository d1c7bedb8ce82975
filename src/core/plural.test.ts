import { describe, expect, it } from 'vitest';
import { counted, everyCheckCaption } from './plural.ts';

describe('counted', () => {
  it('says one in the singular and every other count in the plural', () => {
    expect(counted(1, 'provider')).toBe('1 provider');
    expect(counted(0, 'provider')).toBe('0 providers');
    expect(counted(13, 'check')).toBe('13 checks');
    expect(counted(2, 'entry', 'entries')).toBe('2 entries');
    expect(everyCheckCaption(13, 1)).toBe('Every check (13 checks × 1 provider)');
  });
});
