import { HarnessError } from '../core/errors.ts';

/** A provider's refusal to run under the budget (exit 2), kept to report with the others. */
export interface Refusal {
  provider: string;
  error: HarnessError;
}

/** Runs `f`; a BUDGET refusal is collected in `refusals` (undefined returned) so every provider's is reported. */
export function refusing<T>(refusals: Refusal[], provider: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof HarnessError) || e.code !== 'BUDGET') throw e;
    refusals.push({ provider, error: e });
    return undefined;
  }
}

/** One refusal as it was; several as one exit-2 error listing each provider's reason and fix, to fix in one go. */
export function throwAll(refusals: Refusal[]): void {
  if (refusals.length === 1) throw refusals[0]!.error;
  if (refusals.length > 1)
    throw new HarnessError(
      'BUDGET',
      `${refusals.length} providers cannot run under this budget:\n` +
        refusals.map((r) => `  - ${r.provider}: ${r.error.message}`).join('\n'),
      { fix: `fix each, then rerun:\n${refusals.map((r) => `  - ${r.provider}: ${r.error.fix}`).join('\n')}` },
    );
}
