/**
 * The key every bench client sends and every bench mock accepts: as long as a real gateway key (ToAPIs', EvoLink's
 * `sk-…` keys run to 40–50 characters), so the redaction of its forms costs in the bench what it costs in use.
 */
export const BENCH_KEY = 'sk-bench-4f1c2a9e7b3d8c6f0a5e1d2b9c7f4a3e';
