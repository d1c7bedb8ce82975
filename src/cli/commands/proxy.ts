import type { Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
export function registerProxy(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('proxy')
    .description(
      'a validating proxy in front of a real gateway until SIGINT/SIGTERM/SIGHUP or a limit: invalid create bodies ' +
        'answered locally (never billed), answers judged against the documented statuses, shapes and error table ' +
        '(401/403 not: the key may be wrong), drift written as results',
    )
    .requiredOption('--provider <id>', "the gateway's provider spec")
    .requiredOption(
      '--upstream <url>',
      "the gateway's base URL (the spec's documented server, or see --upstream-allow)",
    )
    .option('--upstream-allow <host...>', 'upstream hosts allowed besides the documented server')
    .option('--port <n>', 'port to listen on (default: a free one)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--record <file.har>', 'record the traffic as HAR (keys redacted) for verify-client')
    .option('--forward-invalid', 'forward create bodies the documents reject (they may be billed)')
    .option('--max-requests <n>', 'stop after answering n requests (the reports are written then, as on a signal)')
    .option(
      '--max-upstream-failures <n>',
      'stop after n upstream failures in a row (unreachable, timed out), reported as error (default 5)',
    )
    .option(
      '--drain-timeout <s>',
      'on stop, seconds the requests in flight may take to finish; then (or at a second Ctrl-C) the proxy answers ' +
        'them 503 and records them',
      '10',
    )
    .option('--upstream-timeout <s>', "seconds the upstream's answer, headers and body, may take (then 502)", '60')
    .option(
      '--report-dir <dir>',
      'where results.json (read by drift --results) and the reports go (a proxy that cannot start, exit 2, leaves ' +
        'none behind)',
      'reports/proxy',
    )
    .option('--json', 'print {"<provider>": "<proxy URL>"} as one JSON line to stdout, then serve')
    .action(withExitCode(lazyAction(() => import('./proxy-action.ts'), 'proxyCommand', program)));
}
