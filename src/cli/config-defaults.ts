import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command, Option } from 'commander';
import { HarnessError } from '../core/errors.ts';

/** The file a project keeps its run settings in, and the package.json key that may hold them instead. */
export const CONFIG_FILE = 'kling-conformance.config.json';
export const PACKAGE_KEY = 'kling-conformance';
export const ENV_PREFIX = 'KLING_CONFORMANCE_';

/** `--api-key-env` → `KLING_CONFORMANCE_API_KEY_ENV` */
export const envName = (option: Option) =>
  ENV_PREFIX +
  option
    .attributeName()
    .replace(/[A-Z]/g, (c) => `_${c}`)
    .toUpperCase();

/**
 * Every long option of a command can also come from an environment variable (`KLING_CONFORMANCE_<FLAG>`) and from
 * the project's config (`kling-conformance.config.json`, or the `kling-conformance` key of package.json), under
 * `<command>: { <flag in camelCase>: value }`. A flag on the command line wins, then the environment, then the config,
 * then the built-in default. Commander reads the environment itself; the config is applied before the action runs.
 */
export function withConfigAndEnv(command: Command): Command {
  // commander wires an option's environment variable when the option is added: re-add each one with its variable
  const options = [...(command.options as Option[])];
  (command.options as Option[]).length = 0;
  for (const option of options) {
    // (a Command is an EventEmitter at run time; its typings leave that out)
    (command as unknown as NodeJS.EventEmitter).removeAllListeners(`option:${option.name()}`);
    if (option.long && !(option as { envVar?: string }).envVar) option.env(envName(option));
    command.addOption(option);
  }
  command.hook('preAction', (cmd) => {
    const config = readConfig(process.cwd());
    if (!config) return;
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
    const byName = new Map((cmd.options as Option[]).map((o) => [o.attributeName(), o]));
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
    }
  });
  return command;
}

function checkValue(option: Option, value: unknown): { value?: unknown; error?: string; fix?: string } {
  const choices = (option as { argChoices?: string[] }).argChoices;
  if (option.isBoolean?.() || (!option.required && !option.optional)) {
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

/** The project's config: kling-conformance.config.json, else the package.json key; neither is fine. */
function readConfig(dir: string): { file: string; base: string; values: unknown } | undefined {
  const file = resolve(dir, CONFIG_FILE);
  if (existsSync(file)) return { file, base: '', values: parse(file) };
  const pkg = resolve(dir, 'package.json');
  if (existsSync(pkg)) {
    const values = (parse(pkg) as Record<string, unknown>)[PACKAGE_KEY];
    if (values !== undefined) {
      if (!values || typeof values !== 'object' || Array.isArray(values))
        throw configError(
          pkg,
          `/${PACKAGE_KEY}`,
          `"${PACKAGE_KEY}" must be an object`,
          `e.g. "${PACKAGE_KEY}": { "run": { "target": "live" } }`,
        );
      return { file: pkg, base: `/${PACKAGE_KEY}`, values };
    }
  }
  return undefined;
}

function parse(file: string): unknown {
  if (statSync(file).size > 1024 * 1024)
    throw configError(file, '', 'is over 1 MiB', 'a config is a few lines of flags');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    throw configError(
      file,
      '',
      `is not valid JSON: ${(err as Error).message}`,
      'fix the JSON (a config is { "run": { "<flag>": value } })',
    );
  }
}

const configError = (file: string, pointer: string, message: string, fix: string) =>
  new HarnessError('CONFIG', `${file} ${message}`, { file, pointer: pointer || '/', fix });
