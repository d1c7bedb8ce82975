import wrapAnsi from 'wrap-ansi';
import { counted } from '../../core/plural.ts';
import type { Target } from '../../core/run-target.ts';
import { formatTable, terminalWidth } from '../../core/table.ts';
import type { SpendPlan } from '../../run/plan-spend.ts';
import type { PriceEstimate } from '../../spec/price.ts';
import { beforeChecksLines, renderNights } from './render-plan.ts';

// `run --dry-run`'s text: the table of every request the run would send, with its documented cost, and the
// prose under it (what is sent before the checks, risky creates held back, totals, the monthly cap).

/** Amounts by currency as text: "1.2 USD + 30 credits" (nothing: "0"). */
export const money = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([c, n]) => `${n} ${c}`)
    .join(' + ') || '0';

/** A documented price, or why there is none. */
const priceText = (p: PriceEstimate | undefined) =>
  p?.amount !== undefined ? `${p.amount} ${p.currency}` : (p?.explanation ?? 'unknown');

/** The risky creates tonight's plan does not send, by reason (the run holds them back for the same reason). */
function unsentRisky(plan: SpendPlan): string[] {
  const byWhy = new Map<string, string[]>();
  for (const [i, r] of plan.requests.entries())
    if (r.notSent) byWhy.set(r.notSent, [...(byWhy.get(r.notSent) ?? []), `#${i + 1} ${r.check}`]);
  if (!byWhy.size) return [];
  const count = [...byWhy.values()].reduce((s, rs) => s + rs.length, 0);
  return ['', `Risky creates not sent (${count}):`, ...[...byWhy].map(([why, rs]) => `- ${why}: ${rs.join(', ')}`)];
}

/** The dry-run listing: every request in order with its documented cost, then the totals. */
export function renderPlan(plan: SpendPlan, target: Target, head: string): string {
  const width = terminalWidth();
  const rows = plan.requests.map((r, i) => [
    String(i + 1),
    r.provider,
    r.case ? `${r.check} ${r.case.id}: ${r.case.note}` : r.check,
    `${r.method} ${r.url}`,
    (r.cost === 'free' ? 'free' : `${priceText(r.price)}${r.cost === 'if-accepted' ? ' if wrongly accepted' : ''}`) +
      (r.notSent ? ' — not sent (why: below)' : ''),
  ]);
  const prose = [
    ...beforeChecksLines(plan),
    ...unsentRisky(plan),
    '',
    target === 'mock'
      ? `${plan.requests.length} requests to the built-in ` +
        `${new Set(plan.requests.map((r) => r.provider)).size === 1 ? 'mock' : 'mocks'}: a mock bills nothing. ` +
        'Nothing was sent. ' +
        '(What a gateway would bill for them: --target live --dry-run.)'
      : `${plan.requests.length} requests; expected spend ${money(plan.expected)}; worst case ` +
        `${money(plan.worstCase)}` +
        `${plan.unpriced.length ? `; no published price for ${plan.unpriced.join(', ')}` : ''}. Nothing was sent.`,
    ...monthLine(plan, plan.nights.length || Object.keys(plan.riskyBudgets ?? {}).length),
    ...riskyLines(plan),
  ];
  return [
    head,
    formatTable(['#', 'provider', 'check', 'request', 'cost'], rows, width),
    // on a terminal, each sentence wrapped to its width (piped: one line each, for grep)
    ...(width ? prose.map((line) => wrapAnsi(line, width, { hard: true, trim: true })) : prose),
    ...renderNights(plan, width),
  ].join('\n');
}

/** --budget-month, always stated with its scope: one cap over the history's live runs, all providers together. */
function monthLine(plan: SpendPlan, providers: number): string[] {
  const m = plan.month;
  if (!m) return [];
  const left = Math.max(0, Math.round((m.amount - m.spent) * 10000) / 10000);
  return [
    `monthly cap (--budget-month) ${m.amount} ${m.currency}: ${m.spent} spent this month by the live runs in the ` +
      `history, all providers together (one cap shared by every provider and run writing this history); ${left} ` +
      `${m.currency} left, split equally among tonight's ${counted(providers, 'provider')}`,
  ];
}

/** Without --allow-paid: what caps the risky creates, or which are not sent and why. */
function riskyLines(plan: SpendPlan): string[] {
  const caps = Object.entries(plan.riskyBudgets ?? {}).map(([id, m]) => `${id} ${m.amount} ${m.currency}`);
  const notSent = plan.riskyNotSent;
  return [
    ...(caps.length
      ? [
          `no --allow-paid: no paid check is picked; the budget caps the risky creates (each sent only while the ` +
            `money left covers it if wrongly accepted): ${caps.join(', ')}`,
        ]
      : []),
    ...(notSent
      ? [
          `${notSent.count} risky creates not sent (${money(notSent.worstCase)} if every one were wrongly accepted) ` +
            `for ${Object.keys(plan.riskyRefused ?? {}).join(', ')}: ${Object.values(plan.riskyRefused ?? {})[0]}`,
        ]
      : []),
  ];
}
