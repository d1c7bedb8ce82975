import type { Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
export function registerVerifyClient(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('verify-client')
    .description(
      "judge a client's recorded traffic (HAR from mock --record, proxy --record or another tool) against its " +
        "provider's documented request, retry and polling rules; exit 1 on findings",
    )
    .option('--provider <id>', 'the provider the client talked to (required; `kling-conformance specs` lists them)')
    .option('--har <file...>', 'HAR files (or the .jsonl journal a killed recorder left) (required)')
    .option(
      '--report-dir <dir>',
      'where results.json, junit.xml, summary.md and report.html go',
      'reports/verify-client',
    )
    .option('--strict', 'judge our readings (inferred facts) like documented ones: fail instead of warn')
    .action(withExitCode(lazyAction(() => import('./verify-client-action.ts'), 'verifyClientCommand', program)));
}
