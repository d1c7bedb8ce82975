// What a run-wide budget leaves each provider when their own budgets add up to more: default generations first, then
// equal parts of the rest, never past a provider's own budget.
import { describe, expect, it } from 'vitest';
import { shareRunWide } from './run-wide-cap.ts';

const USD = (amount: number) => ({ amount, currency: 'USD' });

describe('the run-wide budget over own budgets', () => {
  it('own budgets that fit stand as given', () => {
    expect(shareRunWide([{ provider: 'a', asked: USD(0.5), floor: 0.375 }], USD(1))).toEqual({ a: 0.5 });
  });

  it('over the cap: floors first, then equal parts; what one cannot use goes to the others', () => {
    const claims = [
      { provider: 'a', asked: USD(0.4), floor: 0.375 },
      { provider: 'b', asked: USD(2), floor: 0.375 },
      { provider: 'c', asked: USD(2), floor: 0.63 },
    ];
    // the floors take 1.38 of 3; of the 1.62 left a takes its 0.025, b and c 0.7975 each
    const parts = shareRunWide(claims, USD(3));
    expect(parts).toEqual({ a: 0.4, b: 1.1725, c: 1.4275 });
    expect(Object.values(parts).reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(3);
  });

  it('refuses (BUDGET) a cap that cannot hold every default generation, with the amount that would', () => {
    expect(() =>
      shareRunWide(
        [
          { provider: 'a', asked: USD(1), floor: 0.375 },
          { provider: 'b', asked: USD(1), floor: 0.63 },
        ],
        USD(1),
      ),
    ).toThrow(/cannot hold one default generation per provider: they cost 1\.005 USD/);
  });
});
