import { Command } from 'commander';
import { registerRun } from '../../src/cli/commands/run.ts';
import { settingOrigin, withConfigAndEnv } from '../../src/cli/config-defaults.ts';
import type { SettingOrigin } from '../../src/core/run-settings.ts';

/**
 * The `run` command as the CLI builds it, parsed without running its action: what commander gathered (flags,
 * environment, config) by attribute, and where each came from (for readSettings).
 */
export async function parseRun(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ options: Record<string, unknown>; originOf: (attribute: string) => SettingOrigin }> {
  const program = new Command('kling-conformance').exitOverride();
  registerRun(program, () => async () => undefined);
  const run = withConfigAndEnv(program.commands[0]!);
  let seen: Record<string, unknown> = {};
  run.action(() => void (seen = run.opts()));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    await program.parseAsync(['run', ...args], { from: 'user' });
  } finally {
    for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
  }
  return { options: seen, originOf: settingOrigin(run) };
}
