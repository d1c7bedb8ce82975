// Switches read from the environment mean what they say, and the config is found where a project keeps it: from the
// current folder up to the package root (lilconfig's conventions), or the file --config names.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { envSwitch } from '../src/cli/config-defaults.ts';
import { runCli } from './run-cli.ts';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const project = (files: Record<string, unknown>) => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-project-'));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
};
const specs = join(process.cwd(), 'specs');
const ids = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { results: { id: string }[] }).results
    .map((r) => r.id)
    .sort();
const noHistory = join(project({}), 'history.jsonl');
const dryRun = (env: Record<string, string>) =>
  runCli(
    [
      '--specs',
      specs,
      'run',
      '--provider',
      'evolink-kling-v3-t2v',
      '--target',
      'live',
      '--base-url',
      'http://127.0.0.1:9',
      '--dry-run',
      // a dry run reads the history (tonight's rotation): an empty one, not the repository's
      '--history',
      noHistory,
    ],
    { env },
  );
/** the dry-run table without the random ids a plan's poll URLs carry */
const plan = (table: string) => table.replace(/[0-9a-f]{8,}/g, '<id>');
/** rows of the dry-run table that cost money whatever the gateway answers */
const billableRows = (table: string) => table.split('\n').filter((l) => / USD$| credits$/.test(l));

describe('switches from the environment', () => {
  it('KLING_CONFORMANCE_ALLOW_PAID=false (0, no, off, empty) plans what no --allow-paid plans; true more', async () => {
    const none = await dryRun({});
    expect(none.code, none.stderr).toBe(0);
    const paid = await dryRun({ KLING_CONFORMANCE_ALLOW_PAID: 'true' });
    // without --allow-paid nothing billable is planned; with it, tonight's paid picks (one generation at least)
    expect(billableRows(none.stdout)).toEqual([]);
    expect(billableRows(paid.stdout).length).toBeGreaterThan(0);
    // the CLI reads the variable as a word (a false word, the empty one, a true word other than "true"); what every
    // word means is the next test's
    for (const word of ['false', '']) {
      const r = await dryRun({ KLING_CONFORMANCE_ALLOW_PAID: word });
      expect(r.code, r.stderr).toBe(0);
      expect(plan(r.stdout), word).toBe(plan(none.stdout));
    }
    expect(plan((await dryRun({ KLING_CONFORMANCE_ALLOW_PAID: 'yes' })).stdout)).toBe(plan(paid.stdout));
  }, 120_000);

  it('every word a switch takes, in any case and with spaces around it', () => {
    for (const word of ['false', '0', 'no', 'OFF', '', ' No ']) expect(envSwitch('V', word), word).toBe(false);
    for (const word of ['true', '1', 'yes', 'on', 'ON', ' Yes ']) expect(envSwitch('V', word), word).toBe(true);
    expect(() => envSwitch('V', 'nope')).toThrow(/V="nope" is neither true nor false/);
  });

  it('any other word is a usage error (exit 2) naming the variable and the words it takes', async () => {
    const r = await dryRun({ KLING_CONFORMANCE_ALLOW_PAID: 'nope' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('KLING_CONFORMANCE_ALLOW_PAID');
    expect(r.stderr).toMatch(/fix: .*true.*false/);
    const strict = await dryRun({ KLING_CONFORMANCE_STRICT: 'maybe' });
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('KLING_CONFORMANCE_STRICT');
  }, 60_000);

  it('KLING_CONFORMANCE_STRICT=false runs lenient, =true strict', async () => {
    const dir = project({});
    const run = (value: string, out: string) =>
      runCli(
        ['--specs', specs, 'run', '--provider', 'evolink-kling-v3-t2v', '--checks', 'auth.missing_key', '--quiet'],
        { cwd: dir, env: { KLING_CONFORMANCE_STRICT: value, KLING_CONFORMANCE_REPORT_DIR: join(dir, out) } },
      );
    const strictOf = (out: string) =>
      (JSON.parse(readFileSync(join(dir, out, 'results.json'), 'utf8')) as { run: { strict: boolean } }).run.strict;
    expect((await run('false', 'a')).code).toBe(0);
    expect(strictOf('a')).toBe(false);
    expect((await run('true', 'b')).code).toBe(0);
    expect(strictOf('b')).toBe(true);
  }, 90_000);
});

describe('config discovery', () => {
  it('`cd sub && run` reads the config at the package root; a nearer one wins; none past the root', async () => {
    const root = project({
      'package.json': { name: 'app', private: true },
      'kling-conformance.config.json': {
        run: { provider: ['evolink-kling-v3-t2v'], checks: ['auth.missing_key'], history: 'h.jsonl' },
      },
      'sub/deeper/.keep': '',
      'other/package.json': { name: 'another-package', private: true },
      'near/kling-conformance.config.mjs':
        'export default { run: ' +
        "{ provider: ['evolink-kling-v3-t2v'], checks: ['auth.invalid_key'], history: 'h.jsonl' } };\n",
    });
    const fromSub = await runCli(['--specs', specs, 'run', '--quiet', '--report-dir', join(root, 'a')], {
      cwd: join(root, 'sub', 'deeper'),
    });
    expect(fromSub.code, fromSub.stderr).toBe(0);
    expect(ids(join(root, 'a'))).toEqual(['auth.missing_key']);
    const nearer = await runCli(['--specs', specs, 'run', '--quiet', '--report-dir', join(root, 'b')], {
      cwd: join(root, 'near'),
    });
    expect(nearer.code, nearer.stderr).toBe(0);
    expect(ids(join(root, 'b'))).toEqual(['auth.invalid_key']);
    // another package's folder is its own root: the config above it is not read
    const other = await runCli(
      ['--specs', specs, 'run', '--quiet', '--checks', 'auth.malformed', '--report-dir', join(root, 'c')],
      { cwd: join(root, 'other'), env: { KLING_CONFORMANCE_PROVIDER: 'evolink-kling-v3-t2v' } },
    );
    expect(other.code, other.stderr).toBe(0);
    expect(ids(join(root, 'c'))).toEqual(['auth.malformed']);
  }, 120_000);

  it('--config <file> reads that file; a bad one is exit 2 with the file, the pointer and the fix', async () => {
    const dir = project({
      'ci/conformance.json': {
        run: { provider: ['evolink-kling-v3-t2v'], checks: ['lifecycle.unknown_task'], history: 'h.jsonl' },
      },
      'ci/bad.json': { run: { allowPaid: 'yes' } },
    });
    const r = await runCli(
      ['--specs', specs, 'run', '--config', 'ci/conformance.json', '--quiet', '--report-dir', join(dir, 'a')],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(ids(join(dir, 'a'))).toEqual(['lifecycle.unknown_task']);
    const bad = await runCli(['--specs', specs, 'run', '--config', 'ci/bad.json'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(join(dir, 'ci/bad.json'));
    expect(bad.stderr).toContain('/run/allowPaid');
    expect(bad.stderr).toMatch(/fix: write "allowPaid": true/);
    const missing = await runCli(['--specs', specs, 'run', '--config', 'ci/none.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/CONFIG .*none\.json/);
  }, 90_000);
});
