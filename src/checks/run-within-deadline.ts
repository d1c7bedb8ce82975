import { runCheck } from './engine.ts';
import type { CheckContext, CheckDefinition, CheckResult } from './types.ts';

/**
 * runCheck under the run's deadline as a hard wall: a probe stuck in a promise that never settles (a --client
 * whose create never returns, a socket that never closes) does not hold the check past --timeout. The check is
 * then `error: deadline`; whatever it left running is abandoned (the worker ends with the run).
 */
export function runCheckWithinDeadline(def: CheckDefinition, ctx: CheckContext): Promise<CheckResult> {
  if (ctx.deadlineAt === undefined) return runCheck(def, ctx);
  const started = Date.now();
  return settleBy(runCheck(def, ctx), ctx.deadlineAt, () => ({
    id: def.id,
    provider: ctx.spec.id,
    title: def.title,
    family: def.family,
    paid: def.cost === 'paid',
    status: 'error',
    message: 'deadline: the run deadline (--timeout) passed during this check',
    findings: [{ kind: 'evidence', message: 'deadline' }],
    durationMs: Date.now() - started,
  }));
}

/** The longest delay a Node timer holds (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `work`, or `fallback()` once `deadlineAt` passes first (what `work` would have given is dropped). */
export async function settleBy<T>(work: Promise<T>, deadlineAt: number, fallback: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback()), Math.min(MAX_TIMER_MS, Math.max(0, deadlineAt - Date.now())));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
