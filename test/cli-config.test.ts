// Every flag a CI job sets can come from KLING_CONFORMANCE_<FLAG> or the project's config file (or package.json key);
// the command line wins, then the environment, then the file. A bad config names the file, the pointer and the fix.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const ids = (dir: string) =>
  (JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as { results: { id: string }[] }).results
    .map((r) => r.id)
    .sort();
const project = (files: Record<string, unknown>) => {
  const dir = tempFolder('kc-project-');
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
};
const specs = join(process.cwd(), 'specs');

describe('run settings from the config file and the environment', () => {
  it('kling-conformance.config.json sets run flags; the environment overrides it; ' +
    'the command line overrides both', async () => {
    const cwd = project({
      'kling-conformance.config.json': {
        run: { provider: ['evolink-kling-v3-t2v'], checks: ['auth.missing_key'], quiet: true, history: 'h.jsonl' },
      },
    });
    const fromFile = await runCli(['--specs', specs, 'run', '--report-dir', join(cwd, 'a')], { cwd });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(ids(join(cwd, 'a'))).toEqual(['auth.missing_key']);
    const fromEnv = await runCli(['--specs', specs, 'run', '--report-dir', join(cwd, 'b')], {
      cwd,
      env: { KLING_CONFORMANCE_CHECKS: 'auth.invalid_key' },
    });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(ids(join(cwd, 'b'))).toEqual(['auth.invalid_key']);
    const _fromCli = await runCli(
      ['--specs', specs, 'run', '--checks', 'lifecycle.unknown_task', '--report-dir', join(cwd, 'c')],
      { cwd, env: { KLING_CONFORMANCE_CHECKS: 'auth.invalid_key' } },
    );
    expect(ids(join(cwd, 'c'))).toEqual(['lifecycle.unknown_task']);
  }, 90_000);

  it('reads the "kling-conformance" key of package.json when there is no config file', async () => {
    const cwd = project({
      'package.json': {
        name: 'my-app',
        'kling-conformance': {
          run: { provider: ['evolink-kling-v3-t2v'], checks: ['auth.missing_key'], history: 'h.jsonl' },
        },
      },
    });
    const r = await runCli(['--specs', specs, 'run', '--report-dir', join(cwd, 'a'), '--quiet'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(ids(join(cwd, 'a'))).toEqual(['auth.missing_key']);
  }, 60_000);

  it('a bad config is exit 2 naming the file, the JSON pointer and the fix', async () => {
    const unknown = await runCli(['--specs', specs, 'run'], {
      cwd: project({ 'kling-conformance.config.json': { run: { targt: 'live' } } }),
    });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/CONFIG .*kling-conformance\.config\.json/);
    expect(unknown.stderr).toContain('/run/targt');
    expect(unknown.stderr).toMatch(/fix: use one of: .*target/);
    const choice = await runCli(['--specs', specs, 'run'], {
      cwd: project({ 'package.json': { 'kling-conformance': { run: { target: 'staging' } } } }),
    });
    expect(choice.code).toBe(2);
    expect(choice.stderr).toContain('/kling-conformance/run/target');
    expect(choice.stderr).toContain('mock, live');
    const json = await runCli(['--specs', specs, 'run'], {
      cwd: project({ 'kling-conformance.config.json': '{ "run": ' }),
    });
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('is not valid JSON');
  }, 60_000);

  it('--help names the environment variable of each flag', async () => {
    const r = await runCli(['run', '--help']);
    expect(r.stdout).toContain('KLING_CONFORMANCE_API_KEY_ENV');
    expect(r.stdout).toContain('KLING_CONFORMANCE_BUDGET');
  });
});
