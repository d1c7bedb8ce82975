import { describe, expect, it } from 'vitest';
import { counted } from './counted.ts';

describe('counted', () => {
  it('one is singular, any other count plural', () => {
    expect(counted(1, 'provider')).toBe('1 provider');
    expect(counted(0, 'provider')).toBe('0 providers');
    expect(counted(13, 'provider')).toBe('13 providers');
  });
});
