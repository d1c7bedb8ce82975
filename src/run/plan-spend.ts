import { runCheck } from '../checks/engine.ts';
import type { PaidPicks } from '../checks/spend-class.ts';
import type { CheckDefinition } from '../checks/types.ts';
import type { Money } from '../core/spend-ledger.ts';
import type { HistoryLine } from '../report/history-line.ts';
import type { RotatedItem } from './rotate-paid.ts';
import { checksFor } from '../checks/registry.ts';
import { isSelected, type CheckSelection } from '../checks/select-checks.ts';
import { HarnessError } from '../core/errors.ts';
import { assertCapCurrency } from './run-wide-cap.ts';
import { refusing, throwAll, type Refusal } from './budget-refusals.ts';
import type { NightShare } from './shard-nights.ts';
import { planRisky } from './risky-plan.ts';
import { planNights } from './plan-nights.ts';
import { assertPriced, budgetOf, round } from './provider-budget.ts';
import { generateCases } from '../cases/generate-cases.ts';
import { estimatePrice, maxTaskPrice, type PriceEstimate } from '../spec/price.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { compileValidators } from '../validate/compile-validators.ts';
import { createCheckContext } from '../worker/create-context.ts';
import { BEFORE_CHECKS_WHY, REACHABILITY_PROBE, ROUTE_PROBE } from './before-checks.ts';
import { seedNoKeyCreate } from '../checks/probes/request-probes.ts';
import { summarise } from '../checks/probes/exchange-summary.ts';
import { exampleBody } from '../checks/probes/request-bodies.ts';

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
  /** creates the ledger counts: 'risky' or the paid item it spends on */
  purpose?: string;
  /** the check family that sends it (its suite file is the one a shard runs) */
  family: string;
  /** which create of the plan it is (see spendKeyOf): how the run's ledger knows it */
  key?: string;
  /** a boundary create: the case it sends (its id, "<field>.<rule>[.<variant>]", and how it was made) */
  case?: { id: string; note: string };
  /** a risky create tonight's plan does not send, and why (see planRisky): the run holds it back by its key */
  notSent?: string;
  /** live: a request sent before any check (see before-checks.ts), and why */
  beforeChecks?: string;
}

export interface SpendPlan {
  requests: PlannedRequest[];
  /** per currency: what the documents say the run costs, and the most it can cost if every create is accepted */
  expected: Record<string, number>;
  worstCase: Record<string, number>;
  /** providers whose price is not published: their spend cannot be bounded */
  unpriced: string[];
  /** per provider: tonight's paid picks, what is due later, and the budget they were fitted to */
  nights: ProviderNight[];
  /** live without --allow-paid, under a budget: per provider what its risky creates may cost together (no paid pick) */
  riskyBudgets?: Record<string, Money>;
  /** --budget-month: the cap and what this month's live runs in the history already spent (all providers together) */
  month?: Budgets['month'];
  /** live without --allow-paid or --allow-risky: per provider no budget caps, why its risky creates are not sent */
  riskyRefused?: Record<string, string>;
  /** the risky creates so left out of `requests`: how many, and what they could cost if every one were accepted */
  riskyNotSent?: { count: number; worstCase: Record<string, number> };
}

/** One provider's night: its budget, the paid items ranked and spread over nights, and what tonight sends. */
export interface ProviderNight {
  provider: string;
  /** this provider's live runs in the history, plus one */
  night: number;
  /** what the ledger holds it to tonight: its own budget, or less where the run-wide budget leaves it less */
  budget?: Money;
  /** where the run-wide budget left it less: its own budget (or its share of the run-wide one) as asked */
  ownBudget?: Money;
  /** the run-wide budget (--budget without a provider id), when there is one */
  runWide?: Money;
  /** no budget of its own: its budget is what the run-wide one leaves after the others' own budgets (this much) */
  afterOwn?: Money;
  /** what tonight's picks draw from the money earlier nights left unspent (the ledger's limit is budget + this) */
  fromBank: number;
  /** with a budget and carry-over: what the bank holds before tonight (the last nights' unspent money) */
  banked?: number;
  /** how the bank was read: each sharded night within it that lacks a part, counted as having left nothing */
  notes?: string[];
  items: RotatedItem[];
  picks: PaidPicks;
  /** picks sent alongside risky creates: their documented price is held for them in the ledger from the start */
  earmarks: Record<string, number>;
  /** risky creates sent tonight (free when rejected): a paid create not earmarked goes after those it could crowd
   * out */
  riskyPlanned: number;
  /** each sent risky create's price if wrongly accepted (what the ledger keeps room for) */
  riskyPrices: number[];
  /** risky creates not sent: never at this budget, and not tonight (see planRisky) */
  riskyNever?: number;
  riskyNotTonight?: number;
  /** a sharded dry run: the part of the night this shard holds (see shard-nights.ts); its items and risky creates */
  share?: NightShare;
}

/** What the budget flags say: a run-wide budget, per-provider budgets, and what is left of a monthly cap. */
export interface Budgets {
  total?: Money;
  perProvider?: Record<string, Money>;
  /** the monthly cap and what this month's runs already spent (from the history) */
  month?: Money & { spent: number };
}

/**
 * Tonight's spending plan: per provider the paid items ranked and fitted to the budget (see rotatePaid), then every
 * request the run would send, in order, found by running the checks with a client that records instead of sending
 * (the same probes, gates, cases and picks as the real run: nothing is guessed, nothing leaves the process).
 */
export async function planSpend(
  specs: ProviderSpec[],
  options: {
    baseUrls: Record<string, string>;
    allowPaid: boolean;
    seed: number;
    selection?: CheckSelection;
    budgets?: Budgets;
    history?: HistoryLine[];
    /** default true; false (a mock run): no nightly plan, every paid request listed */
    live?: boolean;
    /** default true: a night banks what it leaves unspent for paid items dearer than a night (--no-carry-over) */
    carryOver?: boolean;
    /**
     * live without --allow-paid: send a provider's risky creates without a budget (--allow-risky; default true). Else
     * those of a provider no budget caps are left out: a run without --allow-paid then spends nothing
     */
    allowRisky?: boolean;
  },
): Promise<SpendPlan> {
  const refusals: Refusal[] = [];
  if (options.live !== false)
    for (const spec of specs) refusing(refusals, spec.id, () => assertCapCurrency([spec], options.budgets?.total));
  const defsOf = (spec: ProviderSpec) =>
    checksFor(spec).filter((c) => isSelected(options.selection, c) && !c.notApplicable?.(spec));
  const nights =
    options.allowPaid && options.live !== false
      ? planNights(
          specs.map((spec) => ({ spec, defs: defsOf(spec) })),
          options,
          refusals,
        )
      : [];
  throwAll(refusals);
  const requests = await recordRequests(specs, { ...options, live: options.live !== false }, nights);
  planRisky(nights, requests);
  const risky = withoutPaid(specs, requests, options);
  const money = totals(risky.sent, nights, options.budgets, risky.plan.riskyBudgets);
  if (options.budgets && money.unpriced.length)
    throw new HarnessError(
      'BUDGET',
      `the documents publish no price for ${money.unpriced.join(', ')}: the run's spend cannot be bounded by --budget`,
      { fix: 'leave those providers out of a budgeted run (--provider)' },
    );
  return {
    ...money,
    nights,
    ...risky.plan,
    ...(options.budgets?.month && options.live !== false ? { month: options.budgets.month } : {}),
  };
}

/**
 * Every request the run would send, in order, with its cost: the checks run with a client that records instead of
 * sending (tonight's picks per provider from `nights`).
 */
async function recordRequests(
  specs: ProviderSpec[],
  options: { baseUrls: Record<string, string>; allowPaid: boolean; seed: number; selection?: CheckSelection } & {
    live: boolean;
  },
  nights: ProviderNight[],
): Promise<PlannedRequest[]> {
  const requests: PlannedRequest[] = [];
  for (const spec of specs) {
    const night = nights.find((n) => n.provider === spec.id);
    let current: Pick<CheckDefinition, 'id' | 'family'> | undefined;
    const cases = new Map(
      generateCases(spec, { seed: options.seed }).map((c) => [`case:${encodeURIComponent(c.id)}`, c]),
    );
    const baseUrl = options.baseUrls[spec.id] ?? options.baseUrls['*'] ?? 'https://gateway.example';
    const ctx = createCheckContext(spec, {
      target: 'live',
      baseUrl,
      apiKey: 'dry-run',
      allowPaid: options.allowPaid,
      seed: options.seed,
      concurrency: 1,
      paidPicks: night?.picks,
      record: ({ spendKey, ...r }) => {
        const c = spendKey ? cases.get(spendKey) : undefined;
        requests.push({
          provider: spec.id,
          // the boundary checks share one pass over every case: each create is named by its case's rule
          check: c ? `boundary.${c.rule}` : current?.family === 'boundary' ? 'boundary' : (current?.id ?? ''),
          family: current?.family ?? '',
          ...r,
          ...costOf(spec, r),
          ...(spendKey ? { key: spendKey } : {}),
          ...(c ? { case: { id: c.id, note: c.note } } : {}),
          ...(BEFORE_CHECKS_WHY[current?.id ?? ''] ? { beforeChecks: BEFORE_CHECKS_WHY[current!.id] } : {}),
        });
      },
    });
    if (options.live) await beforeChecks(spec, ctx, baseUrl, requests, (id) => (current = { id, family: '' }));
    for (const def of checksFor(spec).filter((c) => isSelected(options.selection, c))) {
      current = def;
      await runCheck(def, ctx);
    }
  }
  return requests;
}

/**
 * Live: what the run sends before any check (see before-checks.ts), in order — the reachability GET, then the route
 * probe through the recording client, whose answer then stands as the no-key create's (the checks do not send it).
 */
async function beforeChecks(
  spec: ProviderSpec,
  ctx: ReturnType<typeof createCheckContext>,
  baseUrl: string,
  requests: PlannedRequest[],
  label: (check: string) => void,
): Promise<void> {
  requests.push({
    provider: spec.id,
    check: REACHABILITY_PROBE,
    family: '',
    method: 'GET',
    url: baseUrl,
    cost: 'free',
    beforeChecks: BEFORE_CHECKS_WHY[REACHABILITY_PROBE],
  });
  label(ROUTE_PROBE);
  seedNoKeyCreate(ctx, summarise(await ctx.client.createTask(exampleBody(spec), { auth: 'missing', retry: false })));
}

/**
 * Live without --allow-paid: what caps each provider's risky creates (its budget), and — unless --allow-risky — the
 * risky creates of a provider no budget caps left out of the requests sent (how many, what they could cost).
 */
function withoutPaid(
  specs: ProviderSpec[],
  requests: PlannedRequest[],
  options: { allowPaid: boolean; live?: boolean; allowRisky?: boolean; budgets?: Budgets },
): { sent: PlannedRequest[]; plan: Pick<SpendPlan, 'riskyBudgets' | 'riskyRefused' | 'riskyNotSent'> } {
  if (options.allowPaid || options.live === false) return { sent: requests, plan: {} };
  const riskyBudgets = options.budgets ? riskyOnlyBudgets(specs, options.budgets) : undefined;
  const refused = options.allowRisky === false ? riskyRefusals(specs, riskyBudgets) : {};
  const notSent = requests.filter((r) => r.cost === 'if-accepted' && refused[r.provider]);
  return {
    sent: requests.filter((r) => !notSent.includes(r)),
    plan: {
      ...(riskyBudgets ? { riskyBudgets } : {}),
      ...(Object.keys(refused).length ? { riskyRefused: refused } : {}),
      ...(notSent.length
        ? { riskyNotSent: { count: notSent.length, worstCase: totals(notSent, [], undefined).worstCase } }
        : {}),
    },
  };
}

/** Live without --allow-paid or --allow-risky: why each provider no budget caps sends no risky create. */
function riskyRefusals(specs: ProviderSpec[], riskyBudgets: Record<string, Money> | undefined): Record<string, string> {
  const why =
    'no --budget caps the risky creates (a forbidden body is billed if the gateway wrongly accepts it): pass ' +
    '--budget (e.g. 1USD) to send them within it, --allow-risky to send them uncapped, or --allow-paid';
  return Object.fromEntries(specs.filter((s) => !riskyBudgets?.[s.id]).map((s) => [s.id, why]));
}

/**
 * Without --allow-paid, a budget caps the risky creates (billed only if wrongly accepted): per provider the budget a
 * paid night would have (its own, else its share of the run-wide one, within its share of what the month has left),
 * in its price's currency (exit 2 otherwise: a limit in another currency would not bound it).
 */
function riskyOnlyBudgets(specs: ProviderSpec[], budgets: Budgets): Record<string, Money> {
  const refusals: Refusal[] = [];
  const out: Record<string, Money> = {};
  const ids = specs.map((s) => s.id);
  for (const spec of specs)
    refusing(refusals, spec.id, () => {
      const { budget } = budgetOf(spec.id, budgets, ids);
      if (!budget) return;
      if (budgets.month) assertPriced(spec, maxTaskPrice(spec), budgets.month, '--budget-month');
      assertPriced(spec, maxTaskPrice(spec), budget, '--budget');
      out[spec.id] = budget;
    });
  throwAll(refusals);
  return out;
}

/** The money: expected (every documented create accepted, every forbidden one rejected) and the worst case. */
function totals(
  requests: PlannedRequest[],
  nights: ProviderNight[],
  budgets: Budgets | undefined,
  riskyBudgets?: Record<string, Money>,
): Pick<SpendPlan, 'requests' | 'expected' | 'worstCase' | 'unpriced'> {
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
  // under a budget the ledger never lets the worst case past it: the least of the two
  const capped = nights.reduce<Record<string, number>>((acc, n) => {
    if (n.budget) acc[n.budget.currency] = round((acc[n.budget.currency] ?? 0) + n.budget.amount + n.fromBank);
    return acc;
  }, {});
  if (budgets && Object.keys(capped).length)
    for (const [c, cap] of Object.entries(capped)) worstCase[c] = Math.min(worstCase[c] ?? 0, cap);
  if (riskyBudgets) Object.assign(worstCase, riskyWorstCase(requests, riskyBudgets, budgets?.total));
  return { requests, expected, worstCase, unpriced: [...unpriced] };
}

/** Risky creates only: per currency each provider's worst case within its budget, all within the run-wide one. */
function riskyWorstCase(
  requests: PlannedRequest[],
  riskyBudgets: Record<string, Money>,
  total: Money | undefined,
): Record<string, number> {
  const byProvider = new Map<string, Money>();
  for (const r of requests.filter((x) => x.cost !== 'free' && x.price?.amount !== undefined && x.price.currency)) {
    const m = byProvider.get(r.provider) ?? { amount: 0, currency: r.price!.currency! };
    byProvider.set(r.provider, { ...m, amount: m.amount + r.price!.amount! });
  }
  const out: Record<string, number> = {};
  for (const [provider, m] of byProvider) {
    const cap = riskyBudgets[provider];
    const worst = cap && cap.currency === m.currency ? Math.min(m.amount, cap.amount) : m.amount;
    out[m.currency] = round((out[m.currency] ?? 0) + worst);
  }
  if (total && out[total.currency] !== undefined) out[total.currency] = Math.min(out[total.currency]!, total.amount);
  return out;
}

function costOf(
  spec: ProviderSpec,
  r: { method: string; url: string; body?: unknown; authenticated: boolean; spendAs?: string },
): Pick<PlannedRequest, 'cost' | 'price' | 'purpose'> {
  const isCreate = r.method === 'POST' && new URL(r.url).pathname.endsWith(spec.create.path);
  // a create without a key cannot be billed to the account; reads are free
  if (!isCreate || !r.authenticated) return { cost: 'free' };
  // a risky create is billed only if wrongly accepted, even where its body is valid (an unavailable model)
  const valid = compileValidators(spec).request(r.body).valid && r.spendAs !== 'risky';
  const price = estimatePrice(spec, resolveSettings(spec, r.body));
  // an invalid body a gateway wrongly accepts has no documented price of its own: bound it by the dearest task
  const bounded = valid || Number.isFinite(price.amount) ? price : maxTaskPrice(spec);
  return { cost: valid ? 'billable' : 'if-accepted', price: bounded, purpose: r.spendAs };
}
