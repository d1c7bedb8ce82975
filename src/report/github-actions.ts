import { appendFileSync } from 'node:fs';
import { redact } from '../core/redact.ts';
import type { RunResults } from './build-results.ts';

/** GitHub's workflow-command escaping: data and property values. */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * Under GitHub Actions: one annotation per failing or unjudged check (`::error`) and per warning (`::warning`),
 * titled "<provider> <check>", written to stderr (the runner reads workflow commands there too; stdout stays pure).
 */
export function annotations(r: RunResults): string[] {
  return r.results
    .filter((x) => x.status === 'fail' || x.status === 'error' || x.status === 'warn')
    .map((x) => {
      const text = redact(`${x.status}: ${x.message}${x.source ? ` (source: ${x.source})` : ''}`);
      return `::${x.status === 'warn' ? 'warning' : 'error'} title=${property(`${x.provider} ${x.id}`)}::${data(text)}`;
    });
}

/** Appends the run's summary.md to the job summary file GitHub names in $GITHUB_STEP_SUMMARY. */
export function writeStepSummary(file: string, summary: string): void {
  appendFileSync(file, `${redact(summary)}\n`);
}
