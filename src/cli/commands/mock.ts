import { Option, type Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { MOCK_DEFAULT_CREDENTIAL } from '../../mock/default-credential.ts';
import { lazyAction } from '../lazy-action.ts';
import { RUN_SETTINGS } from '../../core/run-settings-table.ts';
import { optionOf } from './run.ts';
export function registerMock(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('mock')
    .description('serve provider mocks over HTTP (one port per provider) until SIGINT/SIGTERM')
    .option('--provider <id...>', 'provider id(s) to serve')
    .option('--all', 'serve every provider in specs/')
    .option('--port <n>', 'port (with --all: the first of consecutive ports); default: free ports')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addOption(
      new Option(
        '--claims <choice>',
        'where documents disagree on behaviour (defaults, link life, error codes): ' +
          "'mock' (the spec's chosen claim) or 'other'",
      )
        .choices(['mock', 'other'])
        .default('mock'),
    )
    .addOption(
      new Option(
        '--schema-claims <choice>',
        "where documents disagree on validity (ranges, enums, model id): 'mock' or 'other'",
      )
        .choices(['mock', 'other'])
        .default('mock'),
    )
    .option(
      '--valid-key <key...>',
      'only these API keys authenticate (default: any non-empty key except the ' +
        "auth checks' wrong one, kc-invalid-key-…)",
    )
    .option(
      '--credential <ak:sk...>',
      `access key:secret key pairs whose signed tokens authenticate, for providers ` +
        `whose requests carry a JWT (default ` +
        `${MOCK_DEFAULT_CREDENTIAL.accessKey}:${MOCK_DEFAULT_CREDENTIAL.secretKey})`,
    )
    .option('--rate-limit', 'enforce the documented rate limits')
    .option('--allow-loopback-callbacks', 'allow http:// and loopback callback URLs where the provider forbids them')
    .option('--complete-after-polls <n>', 'polls until a task ends', '3')
    .option(
      '--callback-allow <host...>',
      'hosts the mock may POST callbacks to besides loopback (never link-local/metadata addresses)',
    )
    // the account's webhook settings: one flag pair, declared once, with the same meaning in mock, run and validate
    .addOption(optionOf(RUN_SETTINGS.callbackDefault))
    .addOption(optionOf(RUN_SETTINGS.callbackSecret))
    .addOption(optionOf(RUN_SETTINGS.callbackPreviousSecret))
    .option(
      '--callback-retry-scale <factor>',
      'multiply each documented wait before a callback redelivery by this (0 < factor <= 1; e.g. 0.001: ' +
        '10 s becomes 10 ms, 24 h 86.4 s); default 1, the documented schedule',
    )
    .option(
      '--json',
      'print {"<provider>": "<base URL>"} as one JSON line to stdout (for clients in other languages), then serve',
    )
    .option('--public-base-url <url>', 'the origin result links point at (default: the address the mock is bound to)')
    .option(
      '--record <file.har>',
      'record every exchange as HAR 1.2 (journal <file>.jsonl while serving, the HAR on stop; also GET /__mock/har)',
    )
    .option('--record-max-bytes <n>', 'the most bytes the recording journal may reach (default 268435456)')
    .option(
      '--faults <plan>',
      "inject faults per client (API key or x-client-id): 'documented' (each documented fault once), 'none', " +
        'or a plan file (JSON/YAML; docs/verify-client.md)',
    )
    .option('--seed <n>', 'seed for the fault plan', '1')
    .addHelpText(
      'after',
      '\nFault scenarios: send `x-mock-scenario: 429,429,ok` (steps: ok, <status ' +
        '200|400-599>, 429:<s>, 429@<unix-s>, commit-500, delay:<ms ≤ 60000>, malformed, ' +
        'reset, fail, policy, never, expired-link).\nControl: GET /__mock/info, /__mock/tasks, ' +
        '/__mock/requests, /__mock/callbacks, /__mock/har (with --record); POST /__mock/scenario, /__mock/reset, ' +
        '/__mock/callbacks/test (the documented test event, signed, to --callback-default).\nCallbacks: a failed ' +
        'delivery is sent again on the documented schedule (same event id; --callback-retry-scale compresses it); ' +
        'a request without a callback URL is called back at --callback-default where documented (docs/webhooks.md).',
    )
    .action(withExitCode(lazyAction(() => import('./mock-action.ts'), 'serveMocks', program)));
}
