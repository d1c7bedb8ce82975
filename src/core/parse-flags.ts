import { HarnessError } from '../core/errors.ts';

/** A whole number ≥ min from a flag, or a usage error that names the flag and the fix. */
export function parseIntFlag(flag: string, value: string, min = 1): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new HarnessError('USAGE', `${flag} must be a whole number ≥ ${min} (got ${value})`, {
      fix: `pass e.g. ${flag} ${Math.max(min, 1) * 10}`,
    });
  return n;
}
