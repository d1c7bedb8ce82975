import { unjudgedForNoise } from '../checks/transient.ts';
import type { CheckResult } from '../checks/types.ts';

/** Gateway noise of one provider, operation and answer: how many noisy answers, how many outlasted the retries. */
export interface NoiseRow {
  provider: string;
  operation: string;
  /** the HTTP status (429, 503…) or the error code (TIMEOUT, ECONNRESET…) */
  answer: string;
  /** distinct noisy answers met (an exchange several checks shared is counted once) */
  met: number;
  /** of them, the ones met by a check the noise left unjudged (still there after the documented retries) */
  outlasted: number;
}

/**
 * The run's gateway noise per provider, operation and answer: what an SRE tracks a gateway's 429/5xx rate by. Each
 * noisy exchange once, however many checks shared the probe that met it.
 */
export function gatewayNoise(results: CheckResult[]): NoiseRow[] {
  const seen = new Map<string, { row: Omit<NoiseRow, 'met' | 'outlasted'>; outlasted: boolean }>();
  for (const r of results) {
    const unjudged = unjudgedForNoise(r);
    for (const n of r.noise ?? []) {
      const key = `${r.provider} ${n.exchange}`;
      const was = seen.get(key);
      seen.set(key, {
        row: { provider: r.provider, operation: n.operation, answer: n.answer },
        outlasted: Boolean(was?.outlasted) || unjudged,
      });
    }
  }
  const rows = new Map<string, NoiseRow>();
  for (const { row, outlasted } of seen.values()) {
    const key = `${row.provider} ${row.operation} ${row.answer}`;
    const out = rows.get(key) ?? rows.set(key, { ...row, met: 0, outlasted: 0 }).get(key)!;
    out.met += 1;
    out.outlasted += outlasted ? 1 : 0;
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.provider.localeCompare(b.provider) ||
      a.operation.localeCompare(b.operation) ||
      a.answer.localeCompare(b.answer),
  );
}

/** "create 429 ×2, poll 500 ×1 (1 outlasted the retries)": one provider's noise in a phrase. */
export const noisePhrase = (rows: NoiseRow[]): string =>
  rows
    .map(
      (r) =>
        `${r.operation} ${r.answer} ×${r.met}` +
        (r.outlasted ? ` (${r.outlasted === r.met ? 'all' : r.outlasted} outlasted the retries)` : ''),
    )
    .join(', ');

/** Per provider, its rows' phrase: the lines a report shows. */
export function noiseByProvider(rows: NoiseRow[]): [string, string][] {
  const providers = [...new Set(rows.map((r) => r.provider))];
  return providers.map((p) => [p, noisePhrase(rows.filter((r) => r.provider === p))]);
}
