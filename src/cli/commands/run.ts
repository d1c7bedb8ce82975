import { Option, type Command } from 'commander';
import type { ExitRecorder } from '../register-commands.ts';
import { lazyAction } from '../lazy-action.ts';
export function registerRun(program: Command, withExitCode: ExitRecorder): void {
  program
    .command('run')
    .description(
      'run the conformance suites against the built-in mocks or a live gateway (exit ' +
        '0 all passed, 1 findings, 2 setup error)',
    )
    .option('--provider <id...>', 'provider id(s)')
    .option('--all', 'every provider in specs/ (default when no --provider)')
    .addOption(
      new Option('--target <target>', 'mock (start the built-in mocks) or live')
        .choices(['mock', 'live'])
        .default('mock'),
    )
    .option('--base-url <url...>', 'live: the gateway base URL, or <provider-id>=<url> per provider')
    .option(
      '--api-key-env <VAR>',
      'live: name of the environment variable holding the API key or access key ' +
        "(never the key itself; default the spec's)",
    )
    .option(
      '--secret-key-env <VAR>',
      "live: the variable holding the secret key, where a provider's requests carry a " +
        "signed token (default the spec's)",
    )
    .option('--seed <n>', 'seed for generated cases', '1')
    .option(
      '--report-dir <dir>',
      'where results.json, junit.xml, summary.md and report.html go (default reports/<timestamp>/)',
    )
    .option('--allow-paid', 'live: run checks that create billable tasks (their documented price is in the report)')
    .option(
      '--timeout <seconds>',
      'the whole run ends within this many seconds: checks not done by then are error: deadline',
      '900',
    )
    .option(
      '--request-timeout <seconds>',
      'each request (headers and the whole body) ends within this many seconds',
      '30',
    )
    .option(
      '--max-video-mb <n>',
      'cut off result downloads past this size (default: from the spec: the largest ' +
        'documented video at a generous bitrate)',
    )
    .option('--poll-interval <ms>', 'live: time between polls', '5000')
    .option(
      '--client <module>',
      'judge your own client in the retry checks: a module exporting `adapter` (see docs/client-adapter.md)',
    )
    .option(
      '--family <name...>',
      'only these check families (defaults reject auth shape lifecycle retry availability boundary)',
    )
    .option('--checks <glob...>', "only checks whose id matches one of these globs, e.g. 'auth.*' 'retry.429.*'")
    .option('--exclude-checks <glob...>', "leave out checks whose id matches, e.g. 'boundary.*'")
    .option(
      '--max-failures <n>',
      'stop after this many failed (or unjudged) checks; the rest are skipped with the reason',
    )
    .option(
      '--shard <i/n>',
      'run share i of n of the suite files (vitest sharding) on this machine; ' +
        '`kling-conformance merge` joins the shards',
    )
    .option(
      '-H, --header <header...>',
      "an extra header on every request, 'Name: value' (e.g. a gateway's routing " +
        'header); its value is redacted like a key',
    )
    .option('--concurrency <n>', 'boundary cases in flight at once', '4')
    .addOption(
      new Option(
        '--mock-claims <choice>',
        "mock: where documents disagree follow 'mock' (the spec's chosen claim) or 'other'",
      )
        .choices(['mock', 'other'])
        .default('mock'),
    )
    .option(
      '--strict',
      'judge facts our specs mark inferred like documented ones: their deviations fail instead of warning',
    )
    .option(
      '--history <file>',
      'append one line per run here (one O_APPEND write: safe under concurrent runs)',
      'reports/history.jsonl',
    )
    .option(
      '--compare-to <run>',
      "compare with an earlier run in the history: 'last' (same target and providers) " +
        'or a run id; the summary starts with what changed',
    )
    .addOption(
      new Option(
        '--fail-on <which>',
        "exit 1 on 'any' failing check, or only on checks that 'new'ly fail since --compare-to",
      )
        .choices(['any', 'new'])
        .default('any'),
    )
    .option(
      '--dry-run',
      "print tonight's plan — every request in order with its documented cost, the paid picks, the risky creates " +
        'and the worst case — and send nothing (--json: the same as JSON)',
    )
    .option(
      '--budget <amount...>',
      "live: fit tonight's paid checks to this money (e.g. 1USD, 300credits), or per provider " +
        '(<provider-id>=0.5USD); refused only when not even the one default generation fits',
    )
    .option('--budget-month <amount>', "live: a monthly cap: this month's spend (from the history) is taken off it")
    .option('--json', 'print results.json to stdout (and nothing else: progress and paths go to stderr)')
    .option('--quiet', 'do not print the summary or the per-check progress')
    .action(withExitCode(lazyAction(() => import('./run-action.ts'), 'action0', program)));
}
