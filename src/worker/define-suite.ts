import { PROGRESS_ANNOTATION, WORKER_ANNOTATION } from './run-config.ts';
import { SpendLedger } from '../core/spend-ledger.ts';
import { describe, expect, inject, test } from 'vitest';
import { runCheckWithinDeadline, settleBy } from '../checks/run-within-deadline.ts';
import { checksFor } from '../checks/registry.ts';
import type { CheckContext, CheckResult } from '../checks/types.ts';
import type { ClientAdapter } from '../client/client-adapter.ts';
import { loadClientModule } from '../client/load-client-module.ts';
import { registerSecret } from '../core/redact.ts';
import { loadSpecById } from '../spec/load-spec.ts';
import { createCheckContext } from './create-context.ts';
import { seedNoKeyCreate } from '../checks/probes/request-probes.ts';
import type { RunConfig } from './run-config.ts';
import './run-config.ts';

/**
 * Declares one vitest test per planned (provider, check) of the given families. Each test runs the check through the
 * engine and attaches the CheckResult to its task meta, where the run's reporter collects it.
 * A failed check fails its test; a skipped one is skipped with its reason.
 */
export async function defineConformanceSuite(families: string[]): Promise<void> {
  const run = inject('run');
  const planned = new Set(run.plan.map((p) => `${p.provider} ${p.id}`));
  const apiKey = process.env[run.apiKeyEnv] ?? '';
  const secretKey = run.secretKeyEnv ? process.env[run.secretKeyEnv] : undefined;
  registerSecret(apiKey);
  registerSecret(secretKey);
  // a --client whose import never settles holds nothing past the deadline: every check then reports the deadline
  const adapter = await settleBy(loadAdapter(run), run.deadlineAt, () => deadlinePassed);
  // the runner watches this process by its pid: a worker killed mid-run is noticed, not waited for
  let announced = false;
  // one ledger file for the run: every worker reserves its creates there, so parallel suites share one budget
  const ledger = run.ledgerFile ? new SpendLedger(run.ledgerFile, run.budget, run.ledgerLimits) : undefined;
  for (const provider of run.providers) {
    const spec = await loadSpecById(provider.id, run.specsDir, { trustedDigests: run.trustedSpecDigests });
    const checks = checksFor(spec).filter((c) => families.includes(c.family) && planned.has(`${provider.id} ${c.id}`));
    if (checks.length === 0) continue;
    describe(provider.id, providerLane(run), () => {
      let ctx: CheckContext | undefined;
      const context = () => {
        if (ctx) return ctx;
        ctx = createCheckContext(spec, {
          ...run,
          baseUrl: provider.baseUrl,
          apiKey,
          secretKey,
          adapter,
          ledger,
          paidPicks: run.paidPicks?.[provider.id],
        });
        // the route probe's answer (a live run) is the no-key create's: the checks do not send it again
        const probe = run.routeProbes?.[provider.id];
        if (probe) seedNoKeyCreate(ctx, probe);
        return ctx;
      };
      for (const def of checks) {
        test(def.id, { concurrent: false }, async ({ task, skip, annotate }) => {
          // what the probe is doing now reaches the runner's live line through vitest's annotations
          if (!announced) await annotate(String(process.pid), WORKER_ANNOTATION).catch(() => undefined);
          announced = true;
          const c = context();
          c.progress = (note) => void annotate(note, PROGRESS_ANNOTATION).catch(() => undefined);
          const result = await runCheckWithinDeadline(def, c);
          task.meta.checkResult = result;
          report(result, skip);
        });
      }
    });
  }
}

/**
 * A live run: one lane per provider in each suite file — a provider's checks one after another, the providers side by
 * side — so that a provider's creates waiting on its own spend hold (its risky creates in another suite file) never
 * hold another provider's checks queued behind them. Mock runs keep one check at a time per file.
 */
const providerLane = (run: RunConfig) => ({ concurrent: run.target === 'live' });

function report(result: CheckResult, skip: (note?: string) => void): void {
  if (result.status === 'skip') skip(result.message);
  if (result.status === 'error') throw new Error(`check could not run: ${result.message}`);
  // warn (an inferred fact) and info (an undocumented behaviour, observed) are not failures of the gate
  expect(
    ['pass', 'warn', 'info'],
    `${result.message}\nexpected: ${JSON.stringify(result.expected)}\nobserved: ` +
      `${JSON.stringify(result.observed)}\nsource: ${result.source}`,
  ).toContain(result.status);
}

/** Stands in for a --client module that had not loaded by the deadline (checks past the deadline never call it). */
const deadlinePassed: ClientAdapter = {
  name: 'deadline',
  create: () => Promise.reject(new Error('deadline: the --client module had not loaded by the run deadline')),
};

async function loadAdapter(run: RunConfig): Promise<ClientAdapter | undefined> {
  return run.clientModule ? (await loadClientModule(run.clientModule)).adapter : undefined;
}
