import { HarnessError } from './errors.ts';
import type { Money } from './spend-ledger.ts';

/** A run-wide budget and per-provider ones, as the --budget values give them. */
type Budgets = { total?: Money; perProvider?: Record<string, Money> };

/** "2USD", "evolink-kling-v3-t2v=0.5USD" (repeatable) → the run-wide budget and the per-provider ones. */
export function parseBudgets(values: string[]): Budgets {
  const out: Budgets = {};
  for (const v of values) {
    const m = /^([a-z0-9][a-z0-9.-]*)=(.+)$/.exec(v.trim());
    if (m) (out.perProvider ??= {})[m[1]!] = parseBudget(m[2]!);
    else out.total = parseBudget(v);
  }
  return out;
}

/**
 * "2USD", "2 usd", "300credits", "60EUR" → { amount, currency }: credits as the specs spell them, any other unit a
 * currency code in capitals (USD, EUR). `flag` is the flag it came from (--budget, --budget-month).
 */
export function parseBudget(text: string, flag = '--budget'): { amount: number; currency: string } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(text);
  if (!m)
    throw new HarnessError('USAGE', `${flag} ${text} is not an amount with a currency`, {
      fix: `pass e.g. ${flag} 2USD or ${flag} 300credits`,
    });
  const unit = m[2]!.toLowerCase();
  return { amount: Number(m[1]), currency: /^credits?$/.test(unit) ? 'credits' : unit.toUpperCase() };
}
