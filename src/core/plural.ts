/** A count with its noun, singular for one: `counted(1, 'provider')` is "1 provider", `counted(13, 'check')` is
 * "13 checks". */
export const counted = (n: number, noun: string, plural = `${noun}s`): string => `${n} ${n === 1 ? noun : plural}`;

/** The caption of a report's check matrix: "Every check (13 checks × 1 provider)". */
export const everyCheckCaption = (checks: number, providers: number): string =>
  `Every check (${counted(checks, 'check')} × ${counted(providers, 'provider')})`;
