import { DEFAULT_TASK } from '../checks/spend-class.ts';
import type { PlannedRequest, ProviderNight } from './plan-spend.ts';

const EPS = 1e-9;
const round = (n: number) => Math.round(n * 10000) / 10000;

/**
 * Which of a provider's risky creates (free when rejected, billed only if wrongly accepted) tonight's plan sends, and
 * why not the others: the one rule the dry run states and the run's ledger then enforces by each create's key. A risky
 * create is sent when its worst case fits its provider's night beside what the plan holds for its picks from the start
 * (the earmarks: the default generation and the paid creates sent among risky ones); the risky creates are sent one
 * at a time, each released when rejected, so they never crowd out each other. One that does not fit is either never
 * sent at this budget (not even beside the default generation alone: the budget it needs is said) or not tonight
 * (tonight's other earmarked picks hold the room). Sets `notSent` on each risky request not sent, and the night's
 * counts.
 */
export function planRisky(nights: ProviderNight[], requests: PlannedRequest[]): void {
  for (const n of nights) {
    const risky = requests.filter((r) => r.provider === n.provider && r.purpose === 'risky');
    for (const r of risky) {
      const why = notSentWhy(n, r.price?.amount ?? 0);
      if (why) r.notSent = why;
    }
    n.riskyPlanned = risky.filter((r) => !r.notSent).length;
    n.riskyPrices = risky.flatMap((r) => (r.notSent ? [] : [r.price?.amount ?? 0]));
    n.riskyNever = risky.filter((r) => r.notSent?.startsWith(NEVER)).length;
    n.riskyNotTonight = risky.filter((r) => r.notSent && !r.notSent.startsWith(NEVER)).length;
  }
}

const NEVER = 'never at this budget';

/** Why the plan does not send a risky create that could cost `worst` if wrongly accepted, or undefined: it sends it. */
function notSentWhy(n: ProviderNight, worst: number): string | undefined {
  if (!n.budget) return undefined;
  const c = n.budget.currency;
  if (n.items.length && n.items.every((it) => it.state === 'capped')) return n.picks.notTonight[n.items[0]!.id];
  const held = round(Object.values(n.earmarks).reduce((s, a) => s + a, 0));
  const room = round(n.budget.amount + n.fromBank - held);
  if (worst <= room + EPS) return undefined;
  const first = n.earmarks[DEFAULT_TASK] ?? 0;
  const needs = round(worst + first);
  if (needs > n.budget.amount + EPS)
    return (
      `${NEVER}: if wrongly accepted it could cost ${worst} ${c}` +
      (first ? `, beside the default generation's ${first} ${c}` : '') +
      `: that needs a nightly budget of ${needs} ${c} (${n.provider}'s is ${n.budget.amount} ${c}); ` +
      `fix: --budget ${n.provider}=${needs}${c} to run it`
    );
  const picks = Object.keys(n.earmarks).join(', ');
  return (
    `not tonight: if wrongly accepted it could cost ${worst} ${c}, and tonight's planned ${picks} ` +
    `hold ${held} of ${n.provider}'s ${round(n.budget.amount + n.fromBank)} ${c} (${room} left); ` +
    'it is sent on a night whose picks leave room'
  );
}
