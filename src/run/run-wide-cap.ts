import { HarnessError } from '../core/errors.ts';
import type { Money } from '../core/spend-ledger.ts';
import type { ProviderSpec } from '../spec/model.ts';

/** One provider's claim on the run-wide budget: its own budget (or equal share), and its default generation's price. */
export interface RunWideClaim {
  provider: string;
  asked: Money;
  /** the least a paid night needs: the default generation */
  floor: number;
}

const EPS = 1e-9;
/** rounded down: the providers' parts never add up to more than the cap they split */
const floor4 = (n: number) => Math.floor(n * 10000 + 1e-6) / 10000;

/**
 * What a run-wide `--budget` leaves each provider (its ledger limit tonight). Own budgets that fit under the cap
 * together stand as given (a plain `--budget` splits into equal shares, and providers without an own budget claim
 * what the cap leaves after the own ones: they fit wherever the own ones leave room). When they add up to more,
 * each provider gets its default generation first — exit 2 (`BUDGET`) when the cap cannot hold them all, with the
 * amount that would — then the rest in equal parts, never past a provider's own budget (what one cannot use goes to
 * the others). So no provider spends past its own budget and the providers together never past the cap: no pool is
 * shared, and which picks the cap skips is decided in the plan, not by which worker reserves first.
 */
export function shareRunWide(claims: RunWideClaim[], cap: Money): Record<string, number> {
  const asked = claims.reduce((s, c) => s + c.asked.amount, 0);
  if (asked <= cap.amount + EPS) return Object.fromEntries(claims.map((c) => [c.provider, c.asked.amount]));
  const floors = Math.round(claims.reduce((s, c) => s + c.floor, 0) * 10000) / 10000;
  if (floors > cap.amount + EPS)
    throw new HarnessError(
      'BUDGET',
      `the run-wide --budget ${cap.amount} ${cap.currency} cannot hold one default generation per provider: ` +
        `they cost ${floors} ${cap.currency} (${claims.map((c) => `${c.provider} ${c.floor}`).join(', ')})`,
      { fix: `raise the run-wide --budget to at least ${floors} ${cap.currency}, or run fewer providers (--provider)` },
    );
  const out = Object.fromEntries(claims.map((c) => [c.provider, c.floor]));
  // water-filling: the providers that want least above their floor are filled first, the rest share what is left
  const open = [...claims].sort((a, b) => a.asked.amount - a.floor - (b.asked.amount - b.floor));
  let rest = cap.amount - floors;
  while (open.length) {
    const level = rest / open.length;
    const least = open[0]!;
    const wants = least.asked.amount - least.floor;
    if (wants <= level + EPS) {
      out[least.provider] = least.asked.amount;
      rest -= wants;
      open.shift();
      continue;
    }
    for (const c of open) out[c.provider] = floor4(c.floor + level);
    break;
  }
  return out;
}

/**
 * A run-wide budget caps one currency: a provider priced in another is refused (exit 2) rather than converted. The
 * documents give no exact rate to convert by (a `usdPerCredit` in a spec is an approximation such as "300 credits
 * (~$3.00)", and credits are bought at account-specific prices): a cap converted with it could be overspent.
 */
export function assertCapCurrency(specs: ProviderSpec[], cap: Money | undefined): void {
  if (!cap) return;
  for (const spec of specs) {
    const currency = spec.x.pricing.currency;
    if (!currency || currency === cap.currency) continue;
    throw new HarnessError(
      'BUDGET',
      `${spec.id} is priced in ${currency}; the run-wide --budget ${cap.amount} ${cap.currency} cannot bound its ` +
        `spend (no document gives an exact rate from ${currency} to ${cap.currency})`,
      {
        fix:
          `run ${spec.id} on its own with --budget ${spec.id}=<n>${currency}, or give every provider its own ` +
          `budget instead of the run-wide one (--budget <provider-id>=<n><currency>, repeated)`,
      },
    );
  }
}
