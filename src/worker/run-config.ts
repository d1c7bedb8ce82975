import type { WorkerSettings } from '../core/run-settings.ts';

/**
 * What the runner hands to the suites (through vitest's provide/inject): every worker setting of the table
 * (src/core/run-settings-table.ts), defaults filled in, plus what the runner worked out. Never holds the key itself.
 */
export interface RunConfig extends WorkerSettings {
  runId: string;
  providers: { id: string; baseUrl: string }[];
  /** name of the environment variable that holds the API key */
  apiKeyEnv: string;
  /** name of the variable that holds the secret key, where a provider mints tokens */
  secretKeyEnv?: string;
  specsDir: string;
  /** the spec texts the runner validated: workers load them without validating again */
  trustedSpecDigests?: string[];
  /** the (provider × check) pairs the runner planned: a worker runs these, and selects nothing itself */
  plan: { provider: string; id: string }[];
  /** the whole run ends by then (epoch ms, from --timeout) */
  deadlineAt: number;
  /** live runs: the spend ledger every worker reserves creates in, and the budget it enforces */
  ledgerFile?: string;
  budget?: { amount: number; currency: string };
  /** per-provider budgets and tonight's earmarks for planned paid items, enforced by the ledger */
  ledgerLimits?: import('../core/spend-ledger.ts').LedgerLimits;
  /** live runs with --allow-paid: per provider, the paid items tonight's plan picked (and why the rest wait) */
  paidPicks?: Record<string, import('../checks/spend-class.ts').PaidPicks>;
  /** live: per provider, the route probe's answer (src/run/before-checks.ts): the no-key create's, not sent again */
  routeProbes?: Record<string, import('../checks/probes/exchange-summary.ts').ExchangeSummary>;
}

/** the annotation type the runner's collector reads as live progress (a probe's "poll processing") */
export const PROGRESS_ANNOTATION = 'kc-progress';
/** the annotation a suite worker sends with its pid, so the runner notices when that worker dies */
export const WORKER_ANNOTATION = 'kc-worker';

declare module 'vitest' {
  interface ProvidedContext {
    run: RunConfig;
  }
  interface TaskMeta {
    checkResult?: import('../checks/types.ts').CheckResult;
    checkResults?: import('../checks/types.ts').CheckResult[];
  }
}
