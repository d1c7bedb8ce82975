import type { Target } from '../checks/types.ts';

/** What the CLI hands to the suites (through vitest's provide/inject). Never holds the key itself. */
export interface RunConfig {
  runId: string;
  target: Target;
  providers: { id: string; baseUrl: string }[];
  /** name of the environment variable that holds the API key */
  apiKeyEnv: string;
  /** name of the variable that holds the secret key, where a provider mints tokens */
  secretKeyEnv?: string;
  allowPaid: boolean;
  timeoutSeconds: number;
  pollIntervalMs: number;
  seed: number;
  specsDir: string;
  /** the spec texts the runner validated: workers load them without validating again */
  trustedSpecDigests?: string[];
  /** module exporting `adapter: ClientAdapter` for the retry suite (default: the reference client) */
  clientModule?: string;
  /** only these check families (default: all) */
  families?: string[];
  /** check-id globs to keep / to leave out */
  checks?: string[];
  excludeChecks?: string[];
  /** stop after this many failed checks (the rest are skipped, saying why) */
  maxFailures?: number;
  /** extra headers every request carries (-H), e.g. a gateway's routing header */
  headers?: Record<string, string>;
  /** boundary cases: concurrency limit */
  concurrency: number;
  /** inferred facts fail instead of warning */
  strict: boolean;
  /** the whole run ends by then (epoch ms, from --timeout) */
  deadlineAt: number;
  /** result downloads larger than this are cut off (default: from each spec) */
  maxVideoBytes?: number;
  requestTimeoutMs: number;
  /** live runs: the spend ledger every worker reserves creates in, and the budget it enforces */
  ledgerFile?: string;
  budget?: { amount: number; currency: string };
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
