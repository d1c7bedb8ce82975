import { settleBy } from '../checks/run-within-deadline.ts';
import type { CheckResult } from '../checks/types.ts';
import { loadClientModule, type ClientModule } from '../client/load-client-module.ts';
import { HarnessError } from '../core/errors.ts';
import type { ProviderSpec } from '../spec/model.ts';
import { listSpecIds } from '../spec/load-spec.ts';
import { planRun, type PlannedCheck } from './plan-run.ts';

/**
 * A `--client` module that declares `providers` is judged only on those: the run's other providers are not started
 * or sent anything, and their checks come back skipped with the reason (so `run --all --client` is a PR gate for one
 * gateway). A declared id that is no spec, or a run with none of them, is a harness error.
 */
export function splitByClient(
  specs: ProviderSpec[],
  client: ClientModule | undefined,
  modulePath: string | undefined,
): { judged: ProviderSpec[]; unspoken: ProviderSpec[] } {
  const spoken = client?.providers;
  if (!spoken) return { judged: specs, unspoken: [] };
  const judged = specs.filter((s) => spoken.includes(s.id));
  if (judged.length === 0)
    throw new HarnessError(
      'NO_CHECKS',
      `the client ${modulePath} speaks ${spoken.join(', ')}, and this run has none of them ` +
        `(${specs.map((s) => s.id).join(', ')})`,
      { fix: `pass --provider ${spoken[0]} (or --all), or list the client's providers in its \`providers\` export` },
    );
  return { judged, unspoken: specs.filter((s) => !spoken.includes(s.id)) };
}

/** The checks of providers the client does not speak, skipped with the reason. */
export function skippedForClient(plan: PlannedCheck[], client: ClientModule, modulePath: string): CheckResult[] {
  const reason =
    `not judged: the client ${modulePath} declares \`providers\` ${client.providers!.join(', ')}; ` +
    'run this provider with a client that speaks it';
  return plan.map((p) => ({ ...p, status: 'skip', message: reason, durationMs: 0 }));
}

/** Declared ids that are no provider in the specs folder: a typo would otherwise skip the gateway silently. */
export function assertKnownProviders(client: ClientModule | undefined, known: string[], modulePath?: string): void {
  const unknown = (client?.providers ?? []).filter((id) => !known.includes(id));
  if (unknown.length)
    throw new HarnessError('USAGE', `the client ${modulePath} declares unknown provider(s) ${unknown.join(', ')}`, {
      file: modulePath,
      fix: `use ids from \`kling-conformance specs\`: ${known.join(', ')}`,
    });
}

/**
 * The run's specs split by the `--client` module's `providers` (loaded here, before anything starts: a module with no
 * adapter is a harness error up front), and the skipped results of the providers it does not speak.
 */
export async function judgedByClient(
  specs: ProviderSpec[],
  options: {
    clientModule?: string;
    specsDir: string;
    families?: string[];
    checks?: string[];
    excludeChecks?: string[];
    /** a module whose import has not settled by then is left to the workers, whose checks end as error: deadline */
    deadlineAt?: number;
  },
): Promise<{ judged: ProviderSpec[]; notJudged: CheckResult[] }> {
  if (!options.clientModule) return { judged: specs, notJudged: [] };
  const loading = loadClientModule(options.clientModule);
  const client =
    options.deadlineAt === undefined ? await loading : await settleBy(loading, options.deadlineAt, () => undefined);
  if (!client) return { judged: specs, notJudged: [] };
  assertKnownProviders(client, listSpecIds(options.specsDir), options.clientModule);
  const { judged, unspoken } = splitByClient(specs, client, options.clientModule);
  if (unspoken.length === 0) return { judged, notJudged: [] };
  const selection = { families: options.families, checks: options.checks, excludeChecks: options.excludeChecks };
  return { judged, notJudged: skippedForClient(planRun(unspoken, selection), client, options.clientModule) };
}
