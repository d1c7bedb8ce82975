import wrapAnsi from 'wrap-ansi';
import { formatTable } from '../../core/table.ts';
import type { SpendPlan } from '../../run/plan-spend.ts';
import { bankText, type RotatedItem } from '../../run/rotate-paid.ts';
import type { NightShare } from '../../run/shard-nights.ts';

/** The requests sent before any check (live), by reason: "#1 target.reachable, #2 target.create_route: why". */
export function beforeChecksLines(plan: SpendPlan): string[] {
  const byWhy = new Map<string, string[]>();
  for (const [i, r] of plan.requests.entries())
    if (r.beforeChecks) byWhy.set(r.beforeChecks, [...(byWhy.get(r.beforeChecks) ?? []), `#${i + 1} ${r.check}`]);
  if (!byWhy.size) return [];
  return ['', 'Sent before the checks:', ...[...byWhy].map(([why, rs]) => `- ${rs.join(', ')}: ${why}`)];
}

/** The dry-run table's "tonight" cell: picked (and what the bank pays of it), or why not tonight. */
function tonightText(it: RotatedItem, notTonight: string | undefined): string {
  if (it.state !== 'picked') return notTonight ?? '';
  return it.fromBank ? `picked: ${it.price.amount} ${it.price.currency}, paid from ${bankText(it)}` : 'picked';
}

/** The dry run as data (`run --dry-run --json`): every request with its cost, the totals, and each night's plan. */
export function planJson(plan: SpendPlan, target: string) {
  return {
    target,
    // on mocks nothing is billed: the prices are what a live run would pay
    billed: target === 'live',
    requests: plan.requests.map((r) => ({
      provider: r.provider,
      check: r.check,
      // a boundary create: the case it sends; a risky create: the key the run's ledger knows it by, and whether it
      // is sent (tonight's plan is what the run does: a create not sent here is held back there, for this reason)
      ...(r.case ? { case: r.case } : {}),
      ...(r.key ? { key: r.key } : {}),
      method: r.method,
      url: r.url,
      cost: r.cost,
      ...(r.price?.amount !== undefined ? { price: { amount: r.price.amount, currency: r.price.currency } } : {}),
      ...(r.purpose === 'risky' ? { sent: !r.notSent } : {}),
      ...(r.notSent ? { notSent: r.notSent } : {}),
      // live: sent before any check, without a key (free), and why
      ...(r.beforeChecks ? { beforeChecks: r.beforeChecks } : {}),
    })),
    billableRequests: plan.requests.filter((r) => r.cost === 'billable').length,
    riskyRequests: plan.requests.filter((r) => r.cost === 'if-accepted').length,
    expected: plan.expected,
    worstCase: plan.worstCase,
    unpriced: plan.unpriced,
    // --budget-month: the cap and this month's spend before tonight (the history's live runs, all providers together)
    ...(plan.month ? { budgetMonth: plan.month } : {}),
    // without --allow-paid: what caps each provider's risky creates, or which are not sent and why
    ...(plan.riskyBudgets ? { riskyBudgets: plan.riskyBudgets } : {}),
    ...(plan.riskyRefused ? { riskyRefused: plan.riskyRefused, riskyNotSent: plan.riskyNotSent } : {}),
    nights: plan.nights.map((n) => ({
      ...coverageFigures(n),
      provider: n.provider,
      night: n.night,
      ...(n.budget ? { budget: n.budget } : {}),
      // where the run-wide budget leaves it less than its own: both limits (budget is what the ledger holds it to)
      ...(n.ownBudget ? { ownBudget: n.ownBudget } : {}),
      ...(n.runWide ? { runWideBudget: n.runWide } : {}),
      // no budget of its own: what the run-wide one leaves after the other providers' own budgets (this much)
      ...(n.afterOwn ? { afterOwnBudgets: n.afterOwn } : {}),
      riskyPlanned: n.riskyPlanned,
      ...(n.riskyNever ? { riskyNeverAtThisBudget: n.riskyNever } : {}),
      ...(n.riskyNotTonight ? { riskyNotTonight: n.riskyNotTonight } : {}),
      // a sharded dry run: which part of the run this is, what it may spend of the night; items are its own
      ...(n.share ? { shard: n.share } : {}),
      // what the bank holds before tonight; the notes: how it was read (a sharded night lacking a part banks nothing)
      ...(n.banked !== undefined ? { banked: n.banked } : {}),
      ...(n.fromBank ? { fromBank: n.fromBank } : {}),
      ...(n.fromBank || n.notes ? { bankNotes: [...(n.notes ?? []), ...bankNotes(n.items)] } : {}),
      picked: n.items.filter((it) => it.state === 'picked').map((it) => it.id),
      paidChecksJudged: n.items.filter((it) => it.state === 'picked').flatMap((it) => it.checks),
      skippedForBudget: n.items
        .filter((it) => it.state !== 'picked')
        .map((it) => ({ id: it.id, reason: n.picks.notTonight[it.id]! })),
      items: n.items.map((it) => ({
        id: it.id,
        checks: it.checks,
        price: it.price.amount,
        state: it.state,
        ...(it.night !== undefined ? { night: it.night } : {}),
        ...(it.lastJudged ? { lastJudged: it.lastJudged } : {}),
        ...(it.caseId ? { case: it.caseId } : {}),
        ...(it.savedFor ? { savedFor: true } : {}),
        ...(it.fromBank ? { fromBank: it.fromBank } : {}),
        ...(it.needs !== undefined ? { needs: it.needs } : {}),
      })),
    })),
  };
}

const money = (m: { amount: number; currency: string } | undefined) => `${m?.amount} ${m?.currency}`;

/** "within the run-wide 4 USD", or "what the run-wide 4 USD leaves after the own budgets (0.5 USD)" */
const runWideText = (n: SpendPlan['nights'][number]) =>
  n.afterOwn
    ? `what the run-wide ${money(n.runWide)} leaves after the own budgets (${money(n.afterOwn)})`
    : `within the run-wide ${money(n.runWide)}`;

/** "boundary.maximum 1.125 USD: paid from 0.5 USD banked on nights 1–3", for each of tonight's picks the bank pays. */
const bankNotes = (items: RotatedItem[]) =>
  items
    .filter((it) => it.state === 'picked' && it.fromBank)
    .map((it) => `${it.id} ${it.price.amount} ${it.price.currency}: paid from ${bankText(it)}`);

/** Tonight's planned paid spend, the paid checks it judges, and how many paid checks one dollar (or credit) covers. */
function coverageFigures(n: SpendPlan['nights'][number]) {
  const picked = n.items.filter((it) => it.state === 'picked');
  const spend = Math.round(picked.reduce((s, it) => s + (it.price.amount ?? 0), 0) * 10000) / 10000;
  const checks = picked.reduce((k, it) => k + it.checks.length, 0);
  return {
    plannedPaidSpend: spend,
    paidChecks: n.items.reduce((k, it) => k + it.checks.length, 0),
    paidChecksPerUnit: spend > 0 ? Math.round((checks / spend) * 10) / 10 : undefined,
  };
}

/** "; 3 risky creates never at this budget, 1 not tonight (see the list)" */
const riskyUnsentText = (n: SpendPlan['nights'][number]) => {
  const parts = [
    ...(n.riskyNever ? [`${n.riskyNever} never at this budget`] : []),
    ...(n.riskyNotTonight ? [`${n.riskyNotTonight} not tonight`] : []),
  ];
  return parts.length ? `; risky creates not sent: ${parts.join(', ')} (listed above with why)` : '';
};

/** A sharded dry run's line above its nights: which part of the run it is, and what its tables show. */
const shareIntro = (s: NightShare) =>
  `shard ${s.shard}${s.runId ? ` of run ${s.runId}` : ''} (${s.suiteFiles.join(', ')}): its part of tonight's plan — ` +
  "per provider what it may spend of the night's budget, the paid items its suite files send, its risky creates";

/**
 * The dry run's last part in the table form: per provider tonight's paid picks and what waits for a later night,
 * fitted to `width` columns (a terminal's) when given.
 */
export function renderNights(plan: SpendPlan, width?: number): string[] {
  if (!plan.nights.length) return [];
  const out: string[] = [''];
  const share = plan.nights.find((n) => n.share)?.share;
  if (share) out.push(shareIntro(share));
  for (const n of plan.nights) {
    const heading =
      `${n.provider}: night ${n.night}` +
      `${n.budget ? `, budget ${n.budget.amount} ${n.budget.currency}` : ', no --budget (one paid generation)'}` +
      `${n.ownBudget ? ` (what the run-wide ${money(n.runWide)} leaves of its own ${money(n.ownBudget)})` : ''}` +
      `${!n.ownBudget && n.runWide ? ` (${runWideText(n)})` : ''}` +
      `${n.fromBank ? ` + ${n.fromBank} ${n.budget?.currency} from the bank` : ''}` +
      `${n.banked !== undefined ? ` (${n.banked} ${n.budget?.currency} banked by earlier nights)` : ''}` +
      `${n.share?.part ? `; this shard may spend ${money(n.share.part)} of the night's ${money(n.share.of)}` : ''}` +
      `, ${n.riskyPlanned} risky creates first (each sent alone beside the picks held for; billed only if wrongly ` +
      `accepted)${riskyUnsentText(n)}`;
    out.push(width ? wrapAnsi(heading, width, { hard: true, trim: true }) : heading);
    for (const note of n.notes ?? []) out.push(`note: ${note}`);
    const elsewhere = Object.entries(n.share?.elsewhere ?? {});
    if (elsewhere.length)
      out.push(`tonight's picks another shard sends: ${elsewhere.map(([id, s]) => `${id} (shard ${s})`).join(', ')}`);
    out.push(
      formatTable(
        ['paid item', 'checks', 'price', 'last judged live', 'tonight'],
        n.items.map((it) => [
          it.id,
          String(it.checks.length),
          it.price.amount !== undefined ? `${it.price.amount} ${it.price.currency}` : it.price.explanation,
          it.lastJudged ?? 'never',
          tonightText(it, n.picks.notTonight[it.id]),
        ]),
        width,
      ),
    );
  }
  return out;
}
