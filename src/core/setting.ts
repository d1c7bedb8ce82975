import { parseIntFlag } from './parse-flags.ts';

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

/** A row of the table: `default` absent unless given. */
export const setting = <V, S extends SettingScope, D extends string | undefined = undefined>(
  s: Omit<Setting<V, S, D>, 'default'> & { default?: D },
) => ({ default: undefined, ...s }) as Setting<V, S, D>;

/** The readers a row's `parse` is built from. */
export const flagName = (flag: string) => /--[a-z-]+/.exec(flag)![0];
export const text = (raw: Raw) => String(raw);
export const list = (raw: Raw) => (Array.isArray(raw) ? raw : [String(raw)]);
export const on = (raw: Raw) => raw === true;
/** a whole number ≥ min from a flag, times `scale` (seconds → ms, MB → bytes) */
export const whole =
  (flag: string, min = 1, scale = 1) =>
  (raw: Raw) =>
    parseIntFlag(flagName(flag), String(raw), min) * scale;
