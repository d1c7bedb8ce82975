// A base URL is never ignored: given without a target it makes the run live; given with an explicit mock target it is
// refused (exit 2), naming both settings and where each was read (flag, variable, config file) and the fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { parseRun } from '../../test/support/parse-run.ts';
import { HarnessError } from './errors.ts';
import { readSettings, workerSettings } from './run-settings.ts';

/** `run`'s settings as the CLI reads them (flags, environment, --config): read when called */
async function settingsOf(args: string[], env: Record<string, string> = {}) {
  const { options, originOf } = await parseRun(args, env);
  return () => readSettings(options, originOf);
}

const refusal = (read: () => unknown): HarnessError => {
  try {
    read();
  } catch (err) {
    return err as HarnessError;
  }
  throw new Error('not refused');
};

describe('the target and the base URL', () => {
  it('a base URL without a target is a live run; neither is a mock run; an explicit target stands', async () => {
    expect((await settingsOf(['--base-url', 'https://gw.test']))().target).toBe('live');
    expect((await settingsOf([], { KLING_CONFORMANCE_BASE_URL: 'https://gw.test' }))().target).toBe('live');
    expect((await settingsOf([]))().target).toBe('mock');
    expect((await settingsOf(['--target', 'live']))().target).toBe('live');
    expect((await settingsOf(['--target', 'live', '--base-url', 'https://gw.test']))().target).toBe('live');
  });

  it('--target mock with --base-url: exit 2, naming both flags and the fix either way', async () => {
    const err = refusal(await settingsOf(['--target', 'mock', '--base-url', 'https://gw.test']));
    expect(err).toBeInstanceOf(HarnessError);
    expect(err.code).toBe('USAGE');
    expect(err.message).toBe(
      'target mock (--target on the command line) with a base URL (--base-url on the command line): a mock run ' +
        'starts the built-in mocks and sends nothing to https://gw.test',
    );
    expect(err.fix).toBe(
      'to judge that gateway, drop --target (a base URL alone means --target live) or make it live; to run the ' +
        'built-in mocks, drop --base-url',
    );
  });

  it('each named where it was read: a variable, a config file and its key', async () => {
    const fromEnv = refusal(await settingsOf(['--target', 'mock'], { KLING_CONFORMANCE_BASE_URL: 'https://gw.test' }));
    expect(fromEnv.message).toContain('with a base URL (KLING_CONFORMANCE_BASE_URL)');
    expect(fromEnv.fix).toContain('to run the built-in mocks, unset KLING_CONFORMANCE_BASE_URL');
    const config = join(tempFolder('kc-target-'), 'kc.json');
    writeFileSync(config, JSON.stringify({ run: { target: 'mock' } }));
    const fromFile = refusal(await settingsOf(['--config', config, '--base-url', 'https://gw.test']));
    expect(fromFile.code).toBe('CONFIG');
    expect([fromFile.file, fromFile.pointer]).toEqual([config, '/run/target']);
    expect(fromFile.message).toContain(`target mock (${config}#/run/target)`);
    expect(fromFile.fix).toContain(`to judge that gateway, delete the key /run/target from ${config}`);
  });

  it('the runner (a library caller) reads them the same way', () => {
    expect(workerSettings({}).target).toBe('mock');
    expect(workerSettings({ baseUrls: { '*': 'https://gw.test' } }).target).toBe('live');
    expect(() => workerSettings({ target: 'mock', baseUrls: { '*': 'https://gw.test' } })).toThrow(
      'target mock (the option target) with a base URL (the option baseUrls)',
    );
  });
});
