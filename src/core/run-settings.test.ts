import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { loadAllSpecs } from '../spec/load-spec.ts';
import { createCheckContext } from '../worker/create-context.ts';
import { registerRun } from '../cli/commands/run.ts';
import { envName, withConfigAndEnv } from '../cli/config-defaults.ts';
import { attributeOf, readSettings, settingDefault, workerSettings } from './run-settings.ts';
import { RUN_SETTINGS } from './run-settings-table.ts';
import type { Setting } from './setting.ts';

/** the `run` command as the CLI builds it, parsed without running its action */
async function parseRun(args: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
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
  return seen;
}

describe('the run settings table', () => {
  it('every row becomes a `run` flag with its environment variable and config key', async () => {
    const program = new Command('kling-conformance');
    registerRun(program, () => async () => undefined);
    const run = withConfigAndEnv(program.commands[0]!);
    for (const [key, row] of Object.entries(RUN_SETTINGS) as [string, Setting][]) {
      const option = run.options.find((o) => o.attributeName() === attributeOf(row.flag));
      expect(option, key).toBeDefined();
      expect(option!.description).toBe(row.help);
      expect((option as { envVar?: string }).envVar).toBe(envName(option!));
      expect(option!.defaultValue).toBe(row.default);
    }
  });

  it('a value reaches the code by its key from the flag, the environment or a default', async () => {
    const fromFlag = readSettings(await parseRun(['--request-timeout', '7', '--strict']));
    expect(fromFlag.requestTimeoutMs).toBe(7000);
    expect(fromFlag.strict).toBe(true);
    const fromEnv = readSettings(await parseRun([], { KLING_CONFORMANCE_REQUEST_TIMEOUT: '9' }));
    expect(fromEnv.requestTimeoutMs).toBe(9000);
    expect(workerSettings(readSettings(await parseRun([]))).requestTimeoutMs).toBe(30_000);
  });

  it('defaults are declared once: the runner, the workers and the client read the same', () => {
    expect(settingDefault('timeoutSeconds')).toBe(900);
    expect(settingDefault('requestTimeoutMs')).toBe(30_000);
    expect(settingDefault('allowPaid')).toBe(false);
    const w = workerSettings({});
    expect(w).toMatchObject({ target: 'mock', seed: 1, timeoutSeconds: 900, pollIntervalMs: 5000, concurrency: 4 });
    expect(w.maxVideoBytes).toBeUndefined();
  });

  it('a new row alone gives a flag, a variable and a config key (the worked example in ARCHITECTURE.md)', async () => {
    const table = RUN_SETTINGS as unknown as Record<string, Setting>;
    table.maxPolls = {
      flag: '--max-polls <n>',
      help: 'polls per task before giving up',
      scope: 'worker',
      default: '120',
      parse: (raw) => Number(raw),
    };
    try {
      expect((readSettings(await parseRun(['--max-polls', '5'])) as Record<string, unknown>).maxPolls).toBe(5);
      expect(
        (readSettings(await parseRun([], { KLING_CONFORMANCE_MAX_POLLS: '6' })) as Record<string, unknown>).maxPolls,
      ).toBe(6);
      expect((workerSettings({}) as Record<string, unknown>).maxPolls).toBe(120);
      // the config key: "maxPolls" under "run" in the project's config file
      const config = join(tempFolder('kc-max-polls-'), 'kling-conformance.config.json');
      writeFileSync(config, JSON.stringify({ run: { maxPolls: 50 } }));
      const fromConfig = readSettings(await parseRun(['--config', config]));
      expect((fromConfig as Record<string, unknown>).maxPolls).toBe(50);
      // the value reaches what every check is handed (the workers' RunConfig and each CheckContext)
      const [spec] = await loadAllSpecs();
      const ctx = createCheckContext(spec!, {
        ...workerSettings(fromConfig),
        baseUrl: 'http://127.0.0.1:9',
        apiKey: 'k',
      });
      expect((ctx as unknown as Record<string, unknown>).maxPolls).toBe(50);
      // and `run --help` lists it
      const program = new Command('kling-conformance');
      registerRun(program, () => async () => undefined);
      expect(withConfigAndEnv(program.commands[0]!).helpInformation()).toContain('--max-polls <n>');
    } finally {
      delete table.maxPolls;
    }
  });
});
