// The account's webhook settings, --callback-default URL and --callback-secret S, are one flag pair with one meaning
// in mock, run and validate (declared once in src/core/run-settings-table.ts). Where a provider documents that a
// Token's webhooks are configured only with both (ToAPIs: else 400 webhook_not_configured), half of the pair is exit 2
// in all three, naming the missing flag and the fix. The secret is a credential: never printed, never in a report.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, type Option } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { redact } from '../src/core/redact.ts';
import { readSettings } from '../src/core/run-settings.ts';
import { main } from '../src/cli/main.ts';
import { registerCommands } from '../src/cli/register-commands.ts';
import { buildResults } from '../src/report/build-results.ts';
import { writeReport } from '../src/report/write-report.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const ID = 'toapis-kling-3.0-turbo';
const DEFAULT = 'https://hooks.example.com/kling';
const SECRET = 'kc-whsec-Zq81+x/7f2c9e4a';
const body = (url: string) => JSON.stringify({ model: 'kling-3.0-turbo', prompt: 'a cat', callback_url: url });
/** The CLI in this process (its `main`, as the bin calls it): the exit code and what it wrote. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const capture = (stream: 'stdout' | 'stderr') =>
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      out[stream] += String(chunk);
      return true;
    });
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out.stdout += `${a.join(' ')}\n`));
  const spies = [capture('stdout'), capture('stderr'), log];
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  try {
    return { code: await main(args), ...out };
  } finally {
    for (const spy of spies) spy.mockRestore();
    vi.unstubAllEnvs();
  }
}

/** mock, run and validate on the provider, run writing its report (if it ever did) under `reportDir` */
const commandsWritingTo = (reportDir: string): Record<string, string[]> => ({
  mock: ['mock', '--provider', ID, '--port', '0'],
  run: ['run', '--provider', ID, '--report-dir', reportDir, '--history', join(reportDir, 'h.jsonl')],
  validate: ['validate', '--provider', ID, '--body', body(`${DEFAULT}/done`)],
});

/** the secret as it may be spelled in a file or a terminal */
const spellings = (s: string) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64'), JSON.stringify(s)];

describe('one webhook flag pair in mock, run and validate', () => {
  it('the three commands declare the same two flags with the same help', () => {
    const program = new Command();
    registerCommands(program, () => {});
    const flag = (command: string, long: string) => {
      const option = (program.commands.find((c) => c.name() === command)!.options as Option[]).find(
        (o) => o.long === long,
      );
      return option && { flags: option.flags, description: option.description, env: option.envVar };
    };
    for (const long of ['--callback-default', '--callback-secret', '--callback-previous-secret']) {
      const run = flag('run', long);
      expect(run, long).toBeDefined();
      expect(flag('mock', long), long).toEqual(run);
      expect(flag('validate', long), long).toEqual(run);
    }
  });

  it('half the pair is exit 2 in each command, naming the missing flag; the secret is never printed', async () => {
    const reportDir = tempFolder('kc-callback-flags-');
    const commands = commandsWritingTo(reportDir);
    for (const [name, args] of Object.entries(commands)) {
      const urlOnly = await cli([...args, '--callback-default', DEFAULT]);
      expect(urlOnly.code, `${name}: ${urlOnly.stderr}`).toBe(2);
      expect(urlOnly.stderr, name).toContain('--callback-default without --callback-secret');
      expect(urlOnly.stderr, name).toContain('pass --callback-secret <secret> as well');
      expect(urlOnly.stderr, name).toContain('400 webhook_not_configured');
      // the secret alone, from the command line (mock: from its variable)
      const secretOnly =
        name === 'mock'
          ? await cli(args, { KLING_CONFORMANCE_CALLBACK_SECRET: SECRET })
          : await cli([...args, '--callback-secret', SECRET]);
      expect(secretOnly.code, `${name}: ${secretOnly.stderr}`).toBe(2);
      expect(secretOnly.stderr, name).toContain('--callback-secret without --callback-default');
      expect(secretOnly.stderr, name).toContain('pass --callback-default <url> as well');
      for (const s of spellings(SECRET)) expect(secretOnly.stdout + secretOnly.stderr, name).not.toContain(s);
    }
    expect(readdirSync(reportDir)).toEqual([]);
  });

  it('a previous secret needs a current one (a rotation): exit 2 in each command, never printed', async () => {
    const reportDir = tempFolder('kc-callback-previous-');
    const previous = 'kc-whsec-rotated-out-Yy71+q';
    const commands = commandsWritingTo(reportDir);
    for (const [name, args] of Object.entries(commands)) {
      const alone = await cli([...args, '--callback-previous-secret', previous]);
      expect(alone.code, `${name}: ${alone.stderr}`).toBe(2);
      expect(alone.stderr, name).toContain('--callback-previous-secret without --callback-secret');
      const same = await cli([...args, '--callback-default', DEFAULT, '--callback-secret', SECRET], {
        KLING_CONFORMANCE_CALLBACK_PREVIOUS_SECRET: SECRET,
      });
      expect(same.code, `${name}: ${same.stderr}`).toBe(2);
      expect(same.stderr, name).toContain('is the same as --callback-secret');
      for (const s of [...spellings(previous), ...spellings(SECRET)])
        expect(alone.stdout + alone.stderr + same.stdout + same.stderr, name).not.toContain(s);
    }
    expect(readdirSync(reportDir)).toEqual([]);
  });

  it('mock --callback-retry-scale takes a factor in (0, 1]; --help names it and the test-event route', async () => {
    for (const bad of ['0', '2', 'fast', '-0.5']) {
      const r = await cli(['mock', '--provider', ID, '--callback-retry-scale', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain('--callback-retry-scale must be a number above 0 and at most 1');
    }
    const help = await cli(['mock', '--help']);
    for (const text of ['--callback-retry-scale', '--callback-previous-secret', '/__mock/callbacks/test'])
      expect(help.stdout + help.stderr).toContain(text);
  });

  it('the same as a user runs the bin: the secret from its variable alone is exit 2, and not printed', async () => {
    const r = await runCli(['mock', '--provider', ID, '--port', '0'], {
      env: { KLING_CONFORMANCE_CALLBACK_SECRET: SECRET },
    });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--callback-secret without --callback-default');
    for (const s of spellings(SECRET)) expect(r.stdout + r.stderr).not.toContain(s);
  }, 60_000);

  it('validate: with the pair the Token counts as configured (the secret may come from its variable)', async () => {
    const args = ['validate', '--provider', ID, '--json', '--body', body(`${DEFAULT}/done?order=7`)];
    const withPair = await cli([...args, '--callback-default', DEFAULT], { KLING_CONFORMANCE_CALLBACK_SECRET: SECRET });
    expect(withPair.code, withPair.stderr).toBe(0);
    expect(JSON.parse(withPair.stdout).notJudged).toEqual([]);
    const without = await cli(args);
    expect(without.code, without.stderr).toBe(0);
    expect(JSON.parse(without.stdout).notJudged.map((n: { why: string }) => n.why)).toEqual([
      "needs the Token's default callback URL: pass --callback-default <url> and --callback-secret <secret>",
      'the account must have webhook settings (--callback-default, --callback-secret), else 400 webhook_not_configured',
    ]);
  });
});

describe('the webhook secret is a credential', () => {
  it('once read as a setting, it reaches no report file and no log line, in any spelling', () => {
    const echoed = 'kc-whsec-Echoed+by/gateway-51c0';
    const control = 'kc-whsec-never-given-as-a-flag-77ab';
    expect(readSettings({ callbackDefault: DEFAULT, callbackSecret: echoed }).callbackSecret).toBe(echoed);
    const results = buildResults(
      {
        id: 'callback-secret',
        target: 'mock',
        providers: [{ id: ID, baseUrl: 'http://127.0.0.1:9' }],
        seed: 1,
        startedAt: new Date().toISOString(),
        endedAt: new Date().toISOString(),
        allowPaid: false,
        client: 'reference',
      },
      [echoed, control].map((s, i) => ({
        id: `reject.callback.c${i}`,
        provider: ID,
        title: 't',
        family: 'reject',
        paid: false,
        durationMs: 1,
        status: 'fail' as const,
        message: `the gateway echoed ${spellings(s).join(' ')}`,
        observed: { echoed: s },
      })),
      '0',
    );
    const dir = tempFolder('kc-callback-secret-report-');
    writeReport(dir, results);
    const written = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    for (const text of [...written, redact(`log: ${spellings(echoed).join(' ')}`)])
      for (const s of spellings(echoed)) expect(text.includes(s), s).toBe(false);
    // the control, never registered, is written as it is: this test sees a secret that was not kept out
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toContain(control);
  });
});
