import { resolve } from 'node:path';
import { HarnessError } from './errors.ts';
import { parseBudget, parseBudgets } from './parse-budget.ts';
import { parseIntFlag } from './parse-flags.ts';
import { registerSecret } from './redact.ts';

/**
 * Who reads a setting: `command` — the `run` command alone (reports, history, output); `runner` — runConformance
 * (which providers and checks, how to reach them); `worker` — the code inside the vitest workers too (the runner
 * hands these over unchanged in the workers' config, and every check sees them on its context).
 */
export type SettingScope = 'command' | 'runner' | 'worker';

/** What `run` reads from its flag, its environment variable (`KLING_CONFORMANCE_<FLAG>`) or the config file. */
export type Raw = string | string[] | boolean;

/**
 * One setting of `run`, declared once. The flag (commander syntax) gives the environment variable and the config key
 * (`--request-timeout` → `KLING_CONFORMANCE_REQUEST_TIMEOUT`, `"requestTimeout"`); `default` is written as a user
 * would type it and `parse` turns what was typed into the value the code reads (seconds → milliseconds, …).
 */
export interface Setting<
  V = unknown,
  S extends SettingScope = SettingScope,
  D extends string | undefined = string | undefined,
> {
  flag: string;
  help: string;
  scope: S;
  default: D;
  choices?: readonly string[];
  parse(raw: Raw): V;
}

const setting = <V, S extends SettingScope, D extends string | undefined = undefined>(
  s: Omit<Setting<V, S, D>, 'default'> & { default?: D },
) => ({ default: undefined, ...s }) as Setting<V, S, D>;

const flagName = (flag: string) => /--[a-z-]+/.exec(flag)![0];
const text = (raw: Raw) => String(raw);
const list = (raw: Raw) => (Array.isArray(raw) ? raw : [String(raw)]);
const on = (raw: Raw) => raw === true;
/** a whole number ≥ min from a flag, times `scale` (seconds → ms, MB → bytes) */
const whole =
  (flag: string, min = 1, scale = 1) =>
  (raw: Raw) =>
    parseIntFlag(flagName(flag), String(raw), min) * scale;

/** "https://x" for all providers, or "<provider-id>=https://x" per provider. */
export function parseBaseUrls(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([a-z0-9][a-z0-9.-]*)=(https?:\/\/.+)$/.exec(v);
    const [id, url] = m ? [m[1]!, m[2]!] : ['*', v];
    try {
      new URL(url);
    } catch {
      throw new HarnessError('USAGE', v.trim() ? `--base-url ${v} is not a URL` : '--base-url is empty', {
        fix:
          'pass e.g. --base-url https://api.gateway.example' +
          (v.trim()
            ? ''
            : ' (a value taken from a CI variable, e.g. vars.GATEWAY_URL in GitHub Actions, ' +
              'is empty when that variable is unset)'),
      });
    }
    out[id] = url;
  }
  return out;
}

/** An http(s) URL with a host: the account's default callback URL (its origin is all a check reads). */
export function parseCallbackDefault(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {}
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname)
    throw new HarnessError('USAGE', `--callback-default ${value} is not an http(s) URL`, {
      fix: 'pass the default callback URL set on the account, e.g. --callback-default https://hooks.example.com/kling',
    });
  return value;
}

const MIN_SECRET_CHARS = 8;

/** The account's webhook secret: a credential, registered for redaction before anything can print it. */
export function parseCallbackSecret(value: string, flag = '--callback-secret'): string {
  // (a shorter one could not be told from ordinary text, so it could not be kept out of reports)
  if (value.trim().length < MIN_SECRET_CHARS)
    throw new HarnessError('USAGE', `${flag} is shorter than ${MIN_SECRET_CHARS} characters (not shown)`, {
      fix:
        "pass the account's webhook secret (or set KLING_CONFORMANCE_CALLBACK_SECRET), or leave both it and " +
        '--callback-default out for an account without webhooks',
    });
  registerSecret(value);
  return value;
}

/** The account's webhook secret before its last rotation: a credential too, and only beside a current one. */
export function parseCallbackPreviousSecret(value: string, current: string | undefined): string {
  const previous = parseCallbackSecret(value, '--callback-previous-secret');
  if (current === undefined || previous === current)
    throw new HarnessError(
      'USAGE',
      current === undefined
        ? '--callback-previous-secret without --callback-secret: a rotated-out secret needs the current one'
        : '--callback-previous-secret is the same as --callback-secret (not shown): a rotation changes the secret',
      { fix: 'pass the current secret as --callback-secret and the one it replaced as --callback-previous-secret' },
    );
  return previous;
}

type WebhookFlags = { callbackDefault?: string; callbackSecret?: string; callbackPreviousSecret?: string };

/**
 * --callback-default, --callback-secret and --callback-previous-secret as every command reads them (mock and
 * validate too: one meaning).
 */
export function readWebhookSettings(raw: WebhookFlags): WebhookFlags {
  const current = raw.callbackSecret === undefined ? undefined : parseCallbackSecret(raw.callbackSecret);
  return {
    ...(raw.callbackDefault === undefined ? {} : { callbackDefault: parseCallbackDefault(raw.callbackDefault) }),
    ...(current === undefined ? {} : { callbackSecret: current }),
    ...(raw.callbackPreviousSecret === undefined
      ? {}
      : { callbackPreviousSecret: parseCallbackPreviousSecret(raw.callbackPreviousSecret, current) }),
  };
}

/** -H 'Name: value' → { name: value }; the values are registered for redaction (a header may carry a secret). */
export function parseHeaders(values: string[]): Record<string, string> | undefined {
  if (!values.length) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s*(.*)$/.exec(v);
    if (!m)
      throw new HarnessError('USAGE', '-H takes a header as "Name: value" (the value given is not shown)', {
        fix: "pass e.g. -H 'X-Route: eu-1'",
      });
    registerSecret(m[2]!);
    out[m[1]!.toLowerCase()] = m[2]!;
  }
  return out;
}

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

export type RunSettingsTable = typeof RUN_SETTINGS;
export type SettingKey = keyof RunSettingsTable;
type ValueOf<K extends SettingKey> = ReturnType<RunSettingsTable[K]['parse']>;
type KeysIn<S extends SettingScope> = {
  [K in SettingKey]: RunSettingsTable[K]['scope'] extends S ? K : never;
}[SettingKey];
/** settings always known to the code: those with a default, and switches (off unless given) */
type WithDefault = {
  [K in SettingKey]: RunSettingsTable[K]['default'] extends string ? K : ValueOf<K> extends boolean ? K : never;
}[SettingKey];

/** Every setting as the code reads it, each optional (not given, no default). */
export type RunSettings = { [K in SettingKey]?: ValueOf<K> };
/** What runConformance reads: the runner's and the workers' settings. */
export type RunnerSettings = { [K in KeysIn<'runner' | 'worker'>]?: ValueOf<K> };
/** What the workers and every check read, defaults filled in. */
export type WorkerSettings = { [K in KeysIn<'worker'> & WithDefault]: ValueOf<K> } & {
  [K in Exclude<KeysIn<'worker'>, WithDefault>]?: ValueOf<K>;
};

/** A setting's default as the code reads it (the typed default parsed; a switch is off). */
export function settingDefault<K extends WithDefault>(key: K): ValueOf<K> {
  return defaultOf(RUN_SETTINGS[key] as Setting) as ValueOf<K>;
}

const isSwitch = (s: Setting) => !s.flag.includes('<');
const defaultOf = (s: Setting) => (s.default !== undefined ? s.parse(s.default) : isSwitch(s) ? false : undefined);

/** The workers' settings from what was given: each worker setting, else its default. */
export function workerSettings(given: Partial<WorkerSettings>): WorkerSettings {
  const out: Record<string, unknown> = {};
  for (const key of (Object.keys(RUN_SETTINGS) as SettingKey[]).filter((k) => RUN_SETTINGS[k].scope === 'worker')) {
    const value = (given as RunSettings)[key] ?? defaultOf(RUN_SETTINGS[key] as Setting);
    if (value !== undefined) out[key] = value;
  }
  return out as WorkerSettings;
}

/** The commander attribute (and config key) of a flag: `--request-timeout <seconds>` → `requestTimeout`. */
export const attributeOf = (flag: string) =>
  flagName(flag)
    .slice(2)
    // a negated switch (--no-carry-over) is read under its positive name, as commander does
    .replace(/^no-/, '')
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Where a value came from when not the command line: its environment variable, or its config file and key. */
export type SettingOrigin = { variable: string } | { file: string; pointer: string } | undefined;

/**
 * What commander gathered (by attribute: flag, environment or config) → every setting as the code reads it, by key.
 * Parsing is where a bad value becomes a usage error naming its flag — and, through `originOf` (by attribute), the
 * variable it was read from, or the config file and the JSON pointer of its key.
 */
export function readSettings(
  options: Record<string, unknown>,
  originOf: (attribute: string) => SettingOrigin = () => undefined,
): RunSettings {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(RUN_SETTINGS) as [SettingKey, Setting][]) {
    const raw = options[attributeOf(s.flag)] as Raw | undefined;
    if (raw === undefined) continue;
    try {
      out[key] = s.parse(raw);
    } catch (err) {
      throw fromOrigin(err, originOf(attributeOf(s.flag)), raw);
    }
  }
  return out as RunSettings;
}

/** A bad value's error, saying where it was read: `KLING_CONFORMANCE_BUDGET="abc": …`, or the file and pointer. */
function fromOrigin(err: unknown, origin: SettingOrigin, raw: Raw): unknown {
  if (!(err instanceof HarnessError) || !origin) return err;
  if ('variable' in origin)
    return new HarnessError(err.code, `${origin.variable}=${JSON.stringify(String(raw))}: ${err.message}`, {
      fix: `${err.fix ?? 'give a valid value'} — as ${origin.variable}: set it to such a value, or unset it`,
    });
  return new HarnessError('CONFIG', err.message, {
    file: origin.file,
    pointer: origin.pointer,
    fix: `${err.fix ?? 'give a valid value'} — in that file, the value at ${origin.pointer}`,
  });
}
