import { formatMarkdownTable } from '../core/table.ts';
import type { RunResults } from './build-results.ts';

/**
 * summary.md's gateway noise: every 429, 5xx, timeout or reset met per provider, operation and answer — the ones the
 * documented retries cleared too (the checks passed) — so a gateway's noise rate can be tracked run to run.
 */
export function noiseLines(r: RunResults): string[] {
  const rows = r.summary.noise ?? [];
  if (!rows.length) return [];
  const met = rows.reduce((n, x) => n + x.met, 0);
  return [
    '',
    `## Gateway noise: ${met} answer(s) 429/5xx/timeout/reset met`,
    '',
    'Sent or polled again as the documents advise; not contract findings. "outlasted" counts the ones met by checks ' +
      'the noise left unjudged (still there after the documented retries).',
    '',
    formatMarkdownTable(
      ['provider', 'operation', 'answer', 'met', 'cleared on retry', 'outlasted'],
      rows.map((x) => [
        x.provider,
        x.operation,
        x.answer,
        String(x.met),
        String(x.met - x.outlasted),
        String(x.outlasted),
      ]),
    ),
  ];
}
