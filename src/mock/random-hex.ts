import { randomFillSync } from 'node:crypto';

/** Random bytes drawn 4 KiB at a time: one randomFillSync per ~200 tasks instead of a call (or a UUID) per id. */
const pool = Buffer.alloc(4096);
let used = pool.length;
/** n random hex digits (n even) */
export function randomHex(n: number): string {
  const bytes = n / 2;
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return pool.toString('hex', used - bytes, used);
}
