import { runCheck } from '../checks/engine.ts';
import { checksFor } from '../checks/registry.ts';
import { isSelected, type CheckSelection } from '../checks/select-checks.ts';
import { HarnessError } from '../core/errors.ts';
import { estimatePrice, maxTaskPrice, type PriceEstimate } from '../spec/price.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { createCheckContext } from '../worker/create-context.ts';

/** One request a live run would send, with what the documents say it costs. */
export interface PlannedRequest {
  provider: string;
  check: string;
  method: string;
  url: string;
  body?: unknown;
  /** billable: a valid create the provider documents as accepted; if-accepted: billed only if the gateway wrongly
   * accepts it */
  cost: 'free' | 'billable' | 'if-accepted';
  price?: PriceEstimate;
}

export interface SpendPlan {
  requests: PlannedRequest[];
  /** per currency: what the documents say the run costs, and the most it can cost if every create is accepted */
  expected: Record<string, number>;
  worstCase: Record<string, number>;
  /** providers whose price is not published: their spend cannot be bounded */
  unpriced: string[];
}

/**
 * Every request a live run would send, in order, found by running the checks with a client that records instead
 * of sending (the same probes, gates and cases as the real run: nothing is guessed, nothing leaves the process).
 */
export async function planSpend(
  specs: ProviderSpec[],
  options: { baseUrls: Record<string, string>; allowPaid: boolean; seed: number; selection?: CheckSelection },
): Promise<SpendPlan> {
  const requests: PlannedRequest[] = [];
  for (const spec of specs) {
    let current = '';
    const ctx = createCheckContext(spec, {
      target: 'live',
      baseUrl: options.baseUrls[spec.id] ?? options.baseUrls['*'] ?? 'https://gateway.example',
      apiKey: 'dry-run',
      allowPaid: options.allowPaid,
      seed: options.seed,
      concurrency: 1,
      record: (r) => requests.push({ provider: spec.id, check: current, ...r, ...costOf(spec, r) }),
    });
    for (const def of checksFor(spec).filter((c) => isSelected(options.selection, c))) {
      // the boundary checks share one pass over every case
      current = def.family === 'boundary' ? 'boundary (all rules)' : def.id;
      await runCheck(def, ctx);
    }
  }
  const expected: Record<string, number> = {};
  const worstCase: Record<string, number> = {};
  const unpriced = new Set<string>();
  for (const r of requests.filter((x) => x.cost !== 'free')) {
    if (r.price?.amount === undefined || !Number.isFinite(r.price.amount) || !r.price.currency) {
      unpriced.add(r.provider);
      continue;
    }
    const c = r.price.currency;
    worstCase[c] = round((worstCase[c] ?? 0) + r.price.amount);
    if (r.cost === 'billable') expected[c] = round((expected[c] ?? 0) + r.price.amount);
  }
  return { requests, expected, worstCase, unpriced: [...unpriced] };
}

function costOf(
  spec: ProviderSpec,
  r: { method: string; url: string; body?: unknown; authenticated: boolean },
): Pick<PlannedRequest, 'cost' | 'price'> {
  const isCreate = r.method === 'POST' && new URL(r.url).pathname.endsWith(spec.create.path);
  // a create without a key cannot be billed to the account; reads are free
  if (!isCreate || !r.authenticated) return { cost: 'free' };
  const valid = compileValidators(spec).request(r.body).valid;
  const price = estimatePrice(spec, resolveSettings(spec, r.body));
  // an invalid body a gateway wrongly accepts has no documented price of its own: bound it by the dearest task
  const bounded = valid || Number.isFinite(price.amount) ? price : maxTaskPrice(spec);
  return { cost: valid ? 'billable' : 'if-accepted', price: bounded };
}

/** The dearest task the documents price: the highest rate at the longest documented duration. */
const round = (n: number) => Math.round(n * 10000) / 10000;

/** "2USD", "2 usd", "300credits" → { amount, currency } (currency as the specs spell it: USD, credits). */
export function parseBudget(text: string): { amount: number; currency: string } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(text);
  if (!m)
    throw new HarnessError('USAGE', `--budget ${text} is not an amount with a currency`, {
      fix: 'pass e.g. --budget 2USD or --budget 300credits',
    });
  const unit = m[2]!.toLowerCase();
  return { amount: Number(m[1]), currency: unit === 'usd' || unit === '$' ? 'USD' : unit.replace(/s?$/, 's') };
}

/** Refuses (exit 2) a run whose worst case could exceed the budget, or whose spend cannot be bounded. */
export function checkBudget(plan: SpendPlan, budget: { amount: number; currency: string }): void {
  if (plan.unpriced.length) {
    throw new HarnessError(
      'BUDGET',
      `the documents publish no price for ${plan.unpriced.join(', ')}: the run's spend cannot be bounded by --budget`,
      { fix: 'leave those providers out of a budgeted run (--provider), or run them without --allow-paid' },
    );
  }
  const other = Object.keys(plan.worstCase).filter((c) => c !== budget.currency);
  if (other.length)
    throw new HarnessError('BUDGET', `the run spends in ${other.join(', ')}, the budget is in ${budget.currency}`, {
      fix: `give one budget per currency: run those providers separately with --budget <n>${other[0]}`,
    });
  const worst = plan.worstCase[budget.currency] ?? 0;
  if (worst > budget.amount) {
    throw new HarnessError(
      'BUDGET',
      `the run could spend ${worst} ${budget.currency} (every create accepted), over ` +
        `the ${budget.amount} ${budget.currency} budget`,
      { fix: 'raise --budget, drop --allow-paid, or narrow --provider / --family' },
    );
  }
}
