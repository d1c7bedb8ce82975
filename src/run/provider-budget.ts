import type { Money } from '../core/spend-ledger.ts';
import { HarnessError } from '../core/errors.ts';
import type { PriceEstimate } from '../spec/price.ts';
import type { ProviderSpec } from '../spec/model.ts';
import type { Budgets } from './plan-spend.ts';

/** A provider's budget for tonight from the budget flags, and the checks and rounding every share of money uses. */
/**
 * A budget run needs a price in the budget's currency for the default generation: else exit 2, saying why and naming
 * the flag the budget came from (`flag`: --budget or --budget-month).
 */
export function assertPriced(spec: ProviderSpec, price: PriceEstimate, budget: Money, flag: string): void {
  if (price.amount !== undefined && price.currency === budget.currency) return;
  throw new HarnessError(
    'BUDGET',
    price.amount === undefined
      ? `the documents publish no price for ${spec.id}: its spend cannot be bounded by ${flag}`
      : `${spec.id} is priced in ${price.currency}, ${flag} is in ${budget.currency} ` +
          `(no document gives an exact rate from ${budget.currency} to ${price.currency})`,
    {
      fix:
        price.amount === undefined
          ? 'leave that provider out of a budgeted run (--provider), or run it without --allow-paid'
          : flag === '--budget-month'
            ? `give the monthly cap in its currency: --budget-month <n>${price.currency}`
            : `give it a budget in its currency: --budget ${spec.id}=<n>${price.currency}`,
    },
  );
}

/**
 * A provider's budget tonight: its own, else its share of the run's — what the run-wide budget leaves after the own
 * budgets of the run's other providers, split equally among those without one (never less than an equal share of
 * the whole: where the own budgets leave less, the run-wide cap splits them, see shareRunWide); never more than its
 * share of what the month has left (`monthLeft`, also what bounds a draw on the bank).
 */
export function budgetOf(
  provider: string,
  budgets: Budgets | undefined,
  providers: string[],
): { budget?: Money; monthLeft?: Money; afterOwn?: number } {
  const own = budgets?.perProvider?.[provider];
  const total = budgets?.total;
  const owners = total ? providers.filter((p) => budgets?.perProvider?.[p]?.currency === total.currency) : [];
  const ownSum = round(owners.reduce((sum, p) => sum + budgets!.perProvider![p]!.amount, 0));
  const rest = total && floor((total.amount - ownSum) / (providers.length - owners.length));
  const equal = total && floor(total.amount / providers.length);
  const share = total && { amount: Math.max(rest!, equal!), currency: total.currency };
  const afterOwn = !own && owners.length && rest! > equal! ? ownSum : undefined;
  const b = own ?? share;
  const m = budgets?.month;
  if (!m) return { budget: b, afterOwn };
  const left = { amount: floor(Math.max(0, m.amount - m.spent) / providers.length), currency: m.currency };
  if (!b || (b.currency === left.currency && left.amount < b.amount)) return { budget: left, monthLeft: left };
  return { budget: b, monthLeft: left, afterOwn };
}

export const round = (n: number) => Math.round(n * 10000) / 10000;
/** a share of a budget, rounded down: the providers' shares never add up to more than the budget they split */
export const floor = (n: number) => Math.floor(n * 10000 + 1e-6) / 10000;
