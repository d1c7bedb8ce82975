/** A count with its noun, singular for one: `1 provider`, `13 providers` (regular plurals only). */
export const counted = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
