import { generateCases } from '../cases/generate-cases.ts';
import type { BoundaryCase } from '../cases/types.ts';
import { estimatePrice, type PriceEstimate } from '../spec/price.ts';
import { resolveSettings } from '../spec/resolve-settings.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { defaultsBody } from './probes/request-bodies.ts';
import { explicitCombos } from './explicit-combos.ts';
import type { CheckContext, CheckDefinition } from './types.ts';

/**
 * What a check costs on a live target — the one place the spending plan reads it from:
 * - free: no create with a valid key (reads, bad credentials), or a check that runs against mocks only;
 * - default-task: judged on the one default generation per provider (the documented example, defaults left out);
 * - risky: sends bodies the documents forbid (or a model documented as unavailable): free when rejected, billed only
 *   if the gateway wrongly accepts;
 * - paid: needs a generation of its own (an accepted boundary case, a documented first-frame acceptance): rotated
 *   over nights within the budget.
 */
export type SpendClass = 'free' | 'default-task' | 'risky' | 'paid';

export function spendClassOf(
  def: Pick<CheckDefinition, 'id' | 'family' | 'cost' | 'target' | 'spendClass'>,
  spec: ProviderSpec,
): SpendClass {
  if (def.target === 'mock') return 'free';
  // what the check declares for this provider's documents (a first frame, a generation of its own, an invalid body)
  const declared = def.spendClass?.(spec);
  if (declared) return declared;
  if (def.cost === 'paid') return 'default-task';
  if (def.family === 'boundary') return acceptedCases(spec, def.id).length ? 'paid' : 'risky';
  if (def.family === 'reject' || def.family === 'availability') return 'risky';
  return 'free';
}

/** One paid unit of coverage: the default generation, or one generation for a check of class `paid`. */
export interface PaidItem {
  /** 'default-task' or the check id */
  id: string;
  /** the checks this generation judges */
  checks: string[];
  price: PriceEstimate;
  /** boundary: the accepted case this generation sends */
  caseId?: string;
  /**
   * its price is held for it from the start (the default generation, a first frame the documents accept: sent by
   * checks that run among risky ones). The others — accepted boundary cases, sent after the run's risky creates —
   * wait for those and get what a conforming gateway left of the budget
   */
  earmarked?: boolean;
}

export const DEFAULT_TASK = 'default-task';
/** the paid check that creates generations of its own: one per explicit-setting combination, each its own item */
export const OWN_GENERATION = 'defaults.explicit_settings';
/** The paid item of one explicit-setting combination ("defaults.explicit_settings/3s-9:16-1080p"). */
export const explicitItem = (label: string) => `${OWN_GENERATION}/${label}`;

/** The accepted-body cases of a boundary check (its rule), as the run generates them. */
export function acceptedCases(spec: ProviderSpec, checkId: string, seed = 1): BoundaryCase[] {
  const rule = checkId.replace(/^boundary\./, '');
  return casesOf(spec, seed).filter((c) => c.rule === rule && c.expect.outcome === 'accept');
}

const caseCache = new WeakMap<ProviderSpec, Map<number, BoundaryCase[]>>();
function casesOf(spec: ProviderSpec, seed: number): BoundaryCase[] {
  let bySeed = caseCache.get(spec);
  if (!bySeed) caseCache.set(spec, (bySeed = new Map()));
  let cases = bySeed.get(seed);
  if (!cases) bySeed.set(seed, (cases = generateCases(spec, { seed })));
  return cases;
}

const priceOf = (spec: ProviderSpec, body: unknown) => estimatePrice(spec, resolveSettings(spec, body));
const amountOf = (p: PriceEstimate) => p.amount ?? Number.POSITIVE_INFINITY;

/**
 * The paid items of a provider: the default generation (judging every default-task check), then one item per paid
 * check. A boundary check's item is its cheapest accepted case (most coverage per dollar), ties in case order.
 */
export function paidItems(spec: ProviderSpec, defs: CheckDefinition[], seed: number): PaidItem[] {
  const classed = defs.map((d) => ({ d, cls: spendClassOf(d, spec) }));
  const items: PaidItem[] = [
    {
      id: DEFAULT_TASK,
      checks: classed.filter((x) => x.cls === 'default-task').map((x) => x.d.id),
      price: priceOf(spec, defaultsBody(spec)),
      earmarked: true,
    },
  ];
  for (const { d } of classed.filter((x) => x.cls === 'paid')) {
    if (d.id === OWN_GENERATION) {
      // one video per combination, priced by its own settings, sent beside the default task (held from the start)
      for (const combo of explicitCombos(spec))
        items.push({
          id: explicitItem(combo.label),
          checks: [d.id],
          price: priceOf(spec, combo.body),
          earmarked: true,
        });
      continue;
    }
    if (d.family !== 'boundary') {
      items.push({
        id: d.id,
        checks: [d.id],
        price: priceOf(spec, spec.create.examples[0]?.value ?? {}),
        earmarked: true,
      });
      continue;
    }
    const priced = acceptedCases(spec, d.id, seed).map((c) => ({ c, price: priceOf(spec, c.body) }));
    const cheapest = priced.reduce((a, b) => (amountOf(b.price) < amountOf(a.price) ? b : a));
    items.push({ id: d.id, checks: [d.id], price: cheapest.price, caseId: cheapest.c.id });
  }
  return items;
}

/** Tonight's paid picks as the checks see them: which paid items may spend, and why the others may not. */
export interface PaidPicks {
  /** item ids picked tonight (DEFAULT_TASK and check ids); a boundary pick maps to the case it sends */
  picked: Record<string, string | true>;
  /** check id → why it is not sent tonight ("paid, due on night 4") */
  notTonight: Record<string, string>;
}

/**
 * May this paid item spend on this target? Mocks: always. Live: with --allow-paid, and — where the run has a
 * spending plan — only when tonight's plan picked it.
 */
export function paidAllowed(ctx: Pick<CheckContext, 'target' | 'allowPaid' | 'paidPicks'>, item: string): boolean {
  if (ctx.target === 'mock') return true;
  if (!ctx.allowPaid) return false;
  return !ctx.paidPicks || item in ctx.paidPicks.picked;
}

/** Why a paid item is not sent: the plan's reason, or the missing --allow-paid. */
export function notPaidReason(ctx: Pick<CheckContext, 'allowPaid' | 'paidPicks'>, item: string): string {
  return (
    ctx.paidPicks?.notTonight[item] ??
    (ctx.allowPaid ? 'paid: not in tonight’s plan' : 'creates a billable task; pass --allow-paid to run it')
  );
}
