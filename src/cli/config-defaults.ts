import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { lilconfig, type LilconfigResult } from 'lilconfig';
import { HarnessError } from '../core/errors.ts';
import type { SettingOrigin } from '../core/run-settings.ts';

/** The files a project keeps its run settings in (first found wins), and the package.json key that may hold them. */
export const CONFIG_FILES = [
  'kling-conformance.config.json',
  'kling-conformance.config.js',
  'kling-conformance.config.mjs',
  'kling-conformance.config.cjs',
];
export const CONFIG_FILE = CONFIG_FILES[0]!;
export const PACKAGE_KEY = 'kling-conformance';
export const ENV_PREFIX = 'KLING_CONFORMANCE_';
const MAX_CONFIG_BYTES = 1024 * 1024;

/** `--api-key-env` → `KLING_CONFORMANCE_API_KEY_ENV` */
export const envName = (option: Option) =>
  ENV_PREFIX +
  option
    .attributeName()
    .replace(/[A-Z]/g, (c) => `_${c}`)
    .toUpperCase();

/** What an environment variable of a switch may say: false/0/no/off/"" are false, true/1/yes/on true. */
const ENV_FALSE = ['false', '0', 'no', 'off', ''];
const ENV_TRUE = ['true', '1', 'yes', 'on'];

/** A switch's environment variable read as what it says, or a usage error (any other word is a typo, not "on"). */
export function envSwitch(variable: string, text: string): boolean {
  const word = text.trim().toLowerCase();
  if (ENV_FALSE.includes(word)) return false;
  if (ENV_TRUE.includes(word)) return true;
  throw new HarnessError('USAGE', `${variable}=${JSON.stringify(text)} is neither true nor false`, {
    fix: `set ${variable} to one of ${[...ENV_TRUE, ...ENV_FALSE.filter(Boolean)].join(', ')} (or leave it empty)`,
  });
}

const isSwitch = (option: Option) => !option.required && !option.optional;

/**
 * Every long option of a command can also come from an environment variable (`KLING_CONFORMANCE_<FLAG>`) and from
 * the project's config (`kling-conformance.config.{json,js,mjs,cjs}`, or the `kling-conformance` key of package.json,
 * the first found from the current folder up to the package root; or the file `--config` names), under
 * `<command>: { <flag in camelCase>: value }`. A flag on the command line wins, then the environment, then the config,
 * then the built-in default. Commander reads the environment itself (a switch's variable is then read as the word it
 * holds); the config is applied before the action runs.
 */
export function withConfigAndEnv(command: Command): Command {
  command.option('--config <file>', `read settings from this file instead of looking for ${CONFIG_FILE} upward`);
  // commander wires an option's environment variable when the option is added: re-add each one with its variable
  const options = [...(command.options as Option[])];
  (command.options as Option[]).length = 0;
  for (const option of options) {
    // (a Command is an EventEmitter at run time; its typings leave that out)
    (command as unknown as NodeJS.EventEmitter).removeAllListeners(`option:${option.name()}`);
    if (option.long && !(option as { envVar?: string }).envVar) option.env(envName(option));
    command.addOption(option);
  }
  command.hook('preAction', async (cmd) => {
    readSwitchesFromEnv(cmd);
    const config = await findConfig(cmd.getOptionValue('config') as string | undefined);
    if (config) applyConfig(cmd, config);
  });
  return command;
}

/** commander sets a switch whose variable is present to true whatever it holds: read the word instead */
function readSwitchesFromEnv(cmd: Command): void {
  for (const option of cmd.options as Option[]) {
    const variable = (option as { envVar?: string }).envVar;
    if (!variable || !isSwitch(option) || cmd.getOptionValueSource(option.attributeName()) !== 'env') continue;
    cmd.setOptionValueWithSource(option.attributeName(), envSwitch(variable, process.env[variable] ?? ''), 'env');
  }
}

interface FoundConfig {
  file: string;
  /** the JSON pointer of the settings inside the file ('' or /kling-conformance) */
  base: string;
  values: unknown;
}

function applyConfig(cmd: Command, config: FoundConfig): void {
  const section = (config.values as Record<string, unknown>)[cmd.name()];
  if (section === undefined) return;
  const at = `/${cmd.name()}`;
  if (!section || typeof section !== 'object' || Array.isArray(section))
    throw configError(
      config.file,
      config.base + at,
      `"${cmd.name()}" must be an object of flags`,
      `e.g. { "${cmd.name()}": { "target": "live" } }`,
    );
  const byName = new Map(
    (cmd.options as Option[]).filter((o) => o.attributeName() !== 'config').map((o) => [o.attributeName(), o]),
  );
  for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
    const option = byName.get(key);
    if (!option)
      throw configError(
        config.file,
        `${config.base}${at}/${key}`,
        `unknown setting "${key}" for ${cmd.name()}`,
        `use one of: ${[...byName.keys()].join(', ')}`,
      );
    const source = cmd.getOptionValueSource(key);
    // the command line and the environment win over the file
    if (source === 'cli' || source === 'env') continue;
    const checked = checkValue(option, value);
    if (checked.error)
      throw configError(config.file, `${config.base}${at}/${key}`, `${key}: ${checked.error}`, checked.fix!);
    cmd.setOptionValueWithSource(key, checked.value, 'config');
    pointers.set(cmd, { ...pointers.get(cmd), [key]: { file: config.file, pointer: `${config.base}${at}/${key}` } });
  }
}

/** Per command: each setting read from the config, by attribute: its file and the JSON pointer of its key. */
const pointers = new WeakMap<Command, Record<string, { file: string; pointer: string }>>();

/** Where a command's setting (by attribute) came from, when not the command line: its variable, or file and pointer. */
export function settingOrigin(cmd: Command): (attribute: string) => SettingOrigin {
  return (attribute) => {
    const source = cmd.getOptionValueSource(attribute);
    if (source === 'config') return pointers.get(cmd)?.[attribute];
    const option = (cmd.options as Option[]).find((o) => o.attributeName() === attribute);
    const variable = (option as { envVar?: string } | undefined)?.envVar;
    return source === 'env' && variable ? { variable } : undefined;
  };
}

function checkValue(option: Option, value: unknown): { value?: unknown; error?: string; fix?: string } {
  const choices = (option as { argChoices?: string[] }).argChoices;
  if (option.isBoolean?.() || isSwitch(option)) {
    return typeof value === 'boolean'
      ? { value }
      : { error: 'is a switch: true or false', fix: `write "${option.attributeName()}": true` };
  }
  if (option.variadic) {
    const list = Array.isArray(value) ? value : [value];
    return list.every((v) => typeof v === 'string' || typeof v === 'number')
      ? { value: list.map(String) }
      : { error: 'takes a list of strings', fix: `write "${option.attributeName()}": ["a", "b"]` };
  }
  if (typeof value !== 'string' && typeof value !== 'number')
    return { error: 'takes a string or a number', fix: `write "${option.attributeName()}": "value"` };
  if (choices && !choices.includes(String(value)))
    return { error: `must be one of ${choices.join(', ')}`, fix: `use one of: ${choices.join(', ')}` };
  return { value: String(value) };
}

/** JSON files (and package.json) parsed under a size cap, a parse error naming the file */
function loadJson(file: string, content: string): unknown {
  if (Buffer.byteLength(content) > MAX_CONFIG_BYTES)
    throw configError(file, '', 'is over 1 MiB', 'a config is a few lines of flags');
  try {
    return JSON.parse(content.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw configError(
      file,
      '',
      `is not valid JSON: ${(err as Error).message}`,
      'fix the JSON (a config is { "run": { "<flag>": value } })',
    );
  }
}

/** lilconfig's conventions: in each folder the config files, then package.json's key; up to `stopDir` */
const configSearcher = (stopDir: string) =>
  lilconfig(PACKAGE_KEY, {
    searchPlaces: [...CONFIG_FILES, 'package.json'],
    loaders: { '.json': loadJson },
    cache: false,
    stopDir,
  });

/** The nearest folder from `dir` up that holds a package.json: where the search for a config stops. */
export function packageRoot(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    if (existsSync(resolve(at, 'package.json'))) return at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * The project's config: the file `--config` names, else the first of kling-conformance.config.* or a package.json
 * with a "kling-conformance" key from the current folder up to the package root; none is fine.
 */
async function findConfig(explicit: string | undefined): Promise<FoundConfig | undefined> {
  const cwd = process.cwd();
  let found: LilconfigResult;
  try {
    const searcher = configSearcher(packageRoot(cwd) ?? cwd);
    found = explicit ? await searcher.load(resolve(cwd, explicit)) : await searcher.search(cwd);
  } catch (err) {
    if (err instanceof HarnessError) throw err;
    const file = explicit ? resolve(cwd, explicit) : cwd;
    throw configError(file, '', `could not be read: ${(err as Error).message}`, 'fix the file or pass --config');
  }
  if (!found) return undefined;
  const isPackage = found.filepath.endsWith('package.json');
  if (isPackage && found.config === undefined) return undefined;
  const values = found.config ?? {};
  if (typeof values !== 'object' || Array.isArray(values))
    throw isPackage
      ? configError(
          found.filepath,
          `/${PACKAGE_KEY}`,
          `"${PACKAGE_KEY}" must be an object`,
          `e.g. "${PACKAGE_KEY}": { "run": { "target": "live" } }`,
        )
      : configError(found.filepath, '', 'must be an object of commands', 'e.g. { "run": { "target": "live" } }');
  return { file: found.filepath, base: isPackage ? `/${PACKAGE_KEY}` : '', values };
}

const configError = (file: string, pointer: string, message: string, fix: string) =>
  new HarnessError('CONFIG', `${file} ${message}`, { file, pointer: pointer || '/', fix });
