// How the can-fail tests broke a check before breakers were declared with the checks: a check id → its departures.
// Kept so a can-fail case written that way still runs; a new check declares its `breakers` beside it instead.
import { adapter as noJitterAdapter } from '../../fixtures/adapters/no-jitter-adapter.ts';
import type { Breaker } from './prove-checks.ts';

/** The breakers of a check not yet declared with it, or undefined (the check's own `breakers` then apply). */
export function liveBreakers(_id: string, _auth: Record<string, string>): Breaker[] | undefined {
  return undefined;
}

export const noJitter: Breaker = { adapter: noJitterAdapter };
