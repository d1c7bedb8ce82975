import { HarnessError } from './errors.ts';
import { RUN_SETTINGS } from './run-settings-table.ts';
import { flagName, type Raw, type Setting, type SettingScope } from './setting.ts';

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
