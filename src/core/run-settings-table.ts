import { resolve } from 'node:path';
import { HarnessError } from './errors.ts';
import { parseBudget, parseBudgets } from './parse-budget.ts';
import { parseBaseUrls } from './parse-base-urls.ts';
import { parseHeaders } from './parse-headers.ts';
import { list, on, type Raw, setting, text, whole } from './setting.ts';
import { parseCallbackDefault, parseCallbackSecret } from './webhook-settings.ts';

/**
 * Every setting of `run`, in `--help` order. The key is the name the runner, the workers and the checks read.
 * The `run` command's flags, its environment variables, its config keys, the runner's options (`RunOptions`), the
 * workers' config and each check's context are all derived from this table.
 */
export const RUN_SETTINGS = {
  providers: setting({ flag: '--provider <id...>', help: 'provider id(s)', scope: 'runner', parse: list }),
  all: setting({
    flag: '--all',
    help: 'every provider in specs/ (default when no --provider)',
    scope: 'command',
    parse: on,
  }),
  target: setting({
    flag: '--target <target>',
    help: 'mock (start the built-in mocks) or live',
    scope: 'worker',
    choices: ['mock', 'live'],
    default: 'mock',
    parse: (raw) => text(raw) as 'mock' | 'live',
  }),
  baseUrls: setting({
    flag: '--base-url <url...>',
    help:
      'live: the gateway base URL (what comes before the documented create path: a target that 404s that ' +
      'path is exit 2, TARGET_NOT_FOUND), or <provider-id>=<url> per provider',
    scope: 'runner',
    parse: (raw) => parseBaseUrls(list(raw)),
  }),
  apiKeyEnv: setting({
    flag: '--api-key-env <VAR>',
    help:
      'live: name of the environment variable holding the API key or access key ' +
      "(never the key itself; default the spec's)",
    scope: 'runner',
    parse: text,
  }),
  secretKeyEnv: setting({
    flag: '--secret-key-env <VAR>',
    help:
      "live: the variable holding the secret key, where a provider's requests carry a " +
      "signed token (default the spec's)",
    scope: 'runner',
    parse: text,
  }),
  seed: setting({
    flag: '--seed <n>',
    help: 'seed for generated cases',
    scope: 'worker',
    default: '1',
    parse: whole('--seed', 0),
  }),
  reportDir: setting({
    flag: '--report-dir <dir>',
    help: 'where results.json, junit.xml, summary.md and report.html go (default reports/<timestamp>/)',
    scope: 'command',
    parse: text,
  }),
  allowPaid: setting({
    flag: '--allow-paid',
    help: 'live: run checks that create billable tasks (their documented price is in the report)',
    scope: 'worker',
    parse: on,
  }),
  allowRisky: setting({
    flag: '--allow-risky',
    help:
      'live, without --allow-paid: send the risky creates (bodies the documents forbid: free when refused, billed if ' +
      'wrongly accepted) with no --budget to cap them; without it and without a budget none is sent (spends nothing)',
    scope: 'command',
    parse: on,
  }),
  timeoutSeconds: setting({
    flag: '--timeout <seconds>',
    help: 'the whole run ends within this many seconds: checks not done by then are error: deadline',
    scope: 'worker',
    default: '900',
    parse: whole('--timeout'),
  }),
  taskTimeoutSeconds: setting({
    flag: '--task-timeout <seconds>',
    help:
      'live: a task not ended this long after its create fails lifecycle.terminal (default: half of --timeout), ' +
      'leaving the rest of the run its time',
    scope: 'worker',
    parse: whole('--task-timeout'),
  }),
  linkRecheckSeconds: setting({
    flag: '--link-recheck <seconds>',
    help:
      'live: the result link is fetched again this long after its first download (waited for when the run has ' +
      'room left), and must still answer within its documented lifetime',
    scope: 'worker',
    default: '120',
    parse: whole('--link-recheck'),
  }),
  requestTimeoutMs: setting({
    flag: '--request-timeout <seconds>',
    help: 'each request (headers and the whole body) ends within this many seconds',
    scope: 'worker',
    default: '30',
    parse: whole('--request-timeout', 1, 1000),
  }),
  maxVideoBytes: setting({
    flag: '--max-video-mb <n>',
    help:
      'cut off result downloads past this size (default: from the spec: the largest ' +
      'documented video at a generous bitrate)',
    scope: 'worker',
    parse: whole('--max-video-mb', 1, 1024 * 1024),
  }),
  pollIntervalMs: setting({
    flag: '--poll-interval <ms>',
    help: 'live: time between polls',
    scope: 'worker',
    default: '5000',
    parse: whole('--poll-interval'),
  }),
  clientModule: setting({
    flag: '--client <module>',
    help: 'judge your own client in the retry checks: a module exporting `adapter` (see docs/client-adapter.md)',
    scope: 'worker',
    parse: (raw) => resolve(text(raw)),
  }),
  families: setting({
    flag: '--family <name...>',
    help: 'only these check families (defaults reject auth shape lifecycle retry availability boundary)',
    scope: 'runner',
    parse: list,
  }),
  checks: setting({
    flag: '--checks <glob...>',
    help: "only checks whose id matches one of these globs, e.g. 'auth.*' 'retry.429.*'",
    scope: 'runner',
    parse: list,
  }),
  excludeChecks: setting({
    flag: '--exclude-checks <glob...>',
    help: "leave out checks whose id matches, e.g. 'boundary.*'",
    scope: 'runner',
    parse: list,
  }),
  maxFailures: setting({
    flag: '--max-failures <n>',
    help: 'stop after this many failed (or unjudged) checks; the rest are skipped with the reason',
    scope: 'runner',
    parse: whole('--max-failures'),
  }),
  shard: setting({
    flag: '--shard <i/n>',
    help:
      "run share i of n of the suite files on this machine (a --budget is the whole run's: each shard holds its " +
      'part); `kling-conformance merge` joins the shards',
    scope: 'runner',
    parse: text,
  }),
  runId: setting({
    flag: '--run-id <id>',
    help:
      'a name every shard of one run shares (e.g. the CI run number): needed by a --shard run that writes --history, ' +
      'so the planner reads the shards of one night as one night',
    scope: 'runner',
    parse: (raw: Raw) => {
      const id = String(raw);
      if (/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/.test(id)) return id;
      throw new HarnessError('USAGE', `--run-id ${id} is not a name of letters, digits, '.', '_', ':' or '-'`, {
        fix: 'pass e.g. --run-id nightly-2026-12-03 (the same on every shard of the run)',
      });
    },
  }),
  headers: setting({
    flag: '-H, --header <header...>',
    help:
      "an extra header on every request, 'Name: value' (e.g. a gateway's routing " +
      'header); its value is redacted like a key',
    scope: 'worker',
    parse: (raw) => parseHeaders(list(raw)),
  }),
  concurrency: setting({
    flag: '--concurrency <n>',
    help: 'boundary cases in flight at once',
    scope: 'worker',
    default: '4',
    parse: whole('--concurrency'),
  }),
  mockClaims: setting({
    flag: '--mock-claims <choice>',
    help: "mock: where documents disagree follow 'mock' (the spec's chosen claim) or 'other'",
    scope: 'runner',
    choices: ['mock', 'other'],
    default: 'mock',
    parse: (raw) => text(raw) as 'mock' | 'other',
  }),
  strict: setting({
    flag: '--strict',
    help: 'judge facts our specs mark inferred like documented ones: their deviations fail instead of warning',
    scope: 'worker',
    parse: on,
  }),
  callbackDefault: setting({
    flag: '--callback-default <url>',
    help:
      "the account's default callback URL: with --callback-secret its webhooks count as configured, and a " +
      "request's callback_url must keep this URL's scheme, host and port where a provider documents that " +
      '(one of the pair without the other, for a provider that needs both: exit 2)',
    scope: 'worker',
    parse: (raw) => parseCallbackDefault(text(raw)),
  }),
  callbackSecret: setting({
    flag: '--callback-secret <secret>',
    help:
      "the account's webhook secret, the pair of --callback-default: the mock (and run's mocks) sign their " +
      'callbacks with it where a provider documents a signature; never printed or written (better given in its ' +
      'variable than on the command line)',
    scope: 'runner',
    parse: (raw) => parseCallbackSecret(text(raw)),
  }),
  callbackPreviousSecret: setting({
    flag: '--callback-previous-secret <secret>',
    help:
      "the account's webhook secret before its last rotation (with --callback-secret): where a provider documents " +
      'that deliveries carry both signatures for a while after a rotation, the mock sends both for that long from ' +
      'its start; never printed or written',
    scope: 'runner',
    parse: (raw) => parseCallbackSecret(text(raw), '--callback-previous-secret'),
  }),
  history: setting({
    flag: '--history <file>',
    help: 'append one line per run here (one O_APPEND write: safe under concurrent runs)',
    scope: 'command',
    default: 'reports/history.jsonl',
    parse: (raw) => resolve(text(raw)),
  }),
  compareTo: setting({
    flag: '--compare-to <run>',
    help:
      "compare with an earlier run in the history: 'last' (same target and providers) " +
      'or a run id; the summary starts with what changed',
    scope: 'command',
    parse: text,
  }),
  failOn: setting({
    flag: '--fail-on <which>',
    help: "exit 1 on 'any' failing check, or only on checks that 'new'ly fail since --compare-to",
    scope: 'command',
    choices: ['any', 'new'],
    default: 'any',
    parse: (raw) => text(raw) as 'any' | 'new',
  }),
  dryRun: setting({
    flag: '--dry-run',
    help:
      "print tonight's plan — every request in order with its documented cost, the paid picks, the risky creates " +
      'and the worst case — and send nothing (--json: the same as JSON)',
    scope: 'command',
    parse: on,
  }),
  budget: setting({
    flag: '--budget <amount...>',
    help:
      "live: fit tonight's paid checks to this money (e.g. 1USD, 300credits), or per provider " +
      '(<provider-id>=0.5USD); refused only when not even the one default generation fits',
    scope: 'command',
    // each amount is checked where it is read (a bad one names its flag, variable or config key)
    parse: (raw) => (parseBudgets(list(raw)), list(raw)),
  }),
  budgetMonth: setting({
    flag: '--budget-month <amount>',
    help:
      "live: a monthly cap: this calendar month's spend by every live run in the history, all providers together, is " +
      'taken off it (one cap shared by every provider and run writing that history); what is left is split equally ' +
      "among tonight's providers",
    scope: 'command',
    parse: (raw) => (parseBudget(text(raw), '--budget-month'), text(raw)),
  }),
  carryOver: setting({
    flag: '--no-carry-over',
    help:
      'live: do not bank what a night leaves of its budget for paid checks dearer than a night (the report then ' +
      'says which can never run at this budget, and the budget that would run them)',
    scope: 'command',
    parse: (raw: Raw) => raw !== false,
  }),
  json: setting({
    flag: '--json',
    help: 'print results.json to stdout (and nothing else: progress and paths go to stderr)',
    scope: 'command',
    parse: on,
  }),
  quiet: setting({
    flag: '--quiet',
    help: 'do not print the summary or the per-check progress',
    scope: 'command',
    parse: on,
  }),
};
