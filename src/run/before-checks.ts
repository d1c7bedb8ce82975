import { randomBytes } from 'node:crypto';
import { SpendLedger } from '../core/spend-ledger.ts';
import type { RunResults } from '../report/build-results.ts';
import { NO_KEY_CREATE } from '../checks/probes/request-probes.ts';

// The requests a live run sends before any check, to know its targets answer (src/run/check-reachable.ts) and serve
// the documented create route (src/run/check-create-route.ts). They are part of the plan: the dry run lists them, the
// ledger and the report record them as free requests, and the create route's probe is auth.missing_key's request.

/** the plan's name for the reachability probe (GET on the base URL) */
export const REACHABILITY_PROBE = 'target.reachable';
/** the plan's name for the create route's probe (the documented example, POSTed without a key) */
export const ROUTE_PROBE = 'target.create_route';

/** Why each is sent before the checks, and why it costs nothing: what the dry run and the report say. */
export const BEFORE_CHECKS_WHY: Record<string, string> = {
  [REACHABILITY_PROBE]:
    'sent before any check: an unreachable base URL is the harness error TARGET_UNREACHABLE (exit 2), not a ' +
    'finding; a GET that creates nothing and carries no key: free',
  [ROUTE_PROBE]:
    'sent before any check: the documented example create, POSTed without a key — a create route answering 404/405 ' +
    '(a wrong base URL) is the harness error TARGET_NOT_FOUND (exit 2), not a finding; without a key no account can ' +
    `be billed for it: free. Its answer is ${NO_KEY_CREATE}'s evidence: that check does not send it again (it does ` +
    'only if this probe got no answer)',
};

/** One request sent before the checks, as the report and the ledger record it: its status, or the error instead. */
export type SentBeforeChecks = NonNullable<RunResults['run']['beforeChecks']>[number];

/** Writes each request sent before the checks to the run's ledger: free (no money held), one line each. */
export function ledgerBeforeChecks(ledgerFile: string | undefined, sent: SentBeforeChecks[]): void {
  if (!ledgerFile) return;
  const ledger = new SpendLedger(ledgerFile);
  for (const s of sent) ledger.append({ kind: 'free', id: randomBytes(6).toString('hex'), ...s });
}
