// Bad paths are harness errors: exit 2, the file and the fix, no stack trace, no temp files left behind.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const HAR = 'fixtures/clients/har/mitmproxy-trimmed.har';
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe('bad paths', () => {
  it('a report dir blocked by a file, and history.jsonl that is a folder', async () => {
    const dir = tempFolder('kc-paths-');
    writeFileSync(join(dir, 'blocked'), '');
    const blocked = await runCli([
      'run',
      '--provider',
      'toapis-kling-3.0-turbo',
      '--family',
      'auth',
      '--report-dir',
      join(dir, 'blocked', 'run'),
    ]);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain('IO');
    expect(blocked.stderr).toContain('a file stands where a folder of that path should be');
    expect(blocked.stderr).toContain('fix:');
    noStack(blocked.stderr);
    mkdirSync(join(dir, 'history.jsonl'));
    const history = await runCli([
      'run',
      '--provider',
      'toapis-kling-3.0-turbo',
      '--family',
      'auth',
      '--report-dir',
      join(dir, 'r'),
      '--history',
      join(dir, 'history.jsonl'),
    ]);
    expect(history.code).toBe(2);
    expect(history.stderr).toContain('a folder stands where the file should be');
    noStack(history.stderr);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('a full disk (/dev/full) is exit 2 with the fix, after the reports are written', async () => {
    const dir = tempFolder('kc-full-');
    const r = await runCli([
      'run',
      '--provider',
      'toapis-kling-3.0-turbo',
      '--family',
      'auth',
      '--report-dir',
      join(dir, 'r'),
      '--history',
      '/dev/full',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the disk is full');
    noStack(r.stderr);
  }, 60_000);

  it('--specs pointing at a file, a spec that is a folder, and a spec over the size limit', async () => {
    const passwd = await runCli(['--specs', '/etc/passwd', 'specs']);
    expect(passwd.code).toBe(2);
    expect(passwd.stderr).toContain('(it is a file)');
    const dir = tempFolder('kc-specdir-');
    mkdirSync(join(dir, 'p', 'openapi.yaml'), { recursive: true });
    const folder = await runCli(['--specs', dir, 'specs']);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain('is not a file');
    const big = tempFolder('kc-bigspec-');
    mkdirSync(join(big, 'p'));
    writeFileSync(join(big, 'p', 'openapi.yaml'), `openapi: 3.1.0\n# ${'x'.repeat(2.2 * 1024 * 1024)}\n`);
    const huge = await runCli(['--specs', big, 'specs']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toContain('over the 2 MB limit');
    for (const r of [passwd, folder, huge]) noStack(r.stderr);
  }, 60_000);

  it.runIf(process.platform === 'linux')(
    'verify-client and mock --record fail fast where no folder can be made (/proc, a file in the way)',
    async () => {
      const dir = tempFolder('kc-paths-');
      writeFileSync(join(dir, 'blocked'), '');
      const verify = (reportDir: string) =>
        runCli(['verify-client', '--provider', 'toapis-kling-3.0-turbo', '--har', HAR, '--report-dir', reportDir], {
          timeoutMs: 45_000,
        });
      for (const [path, why] of <[string, string][]>[
        ['/proc/kc-nope', 'no folder can be made there'],
        [join(dir, 'blocked', 'r'), 'a file stands where a folder'],
      ]) {
        const r = await verify(path);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`IO ${path}`);
        expect(r.stderr).toContain(why);
        expect(r.stderr).toContain('fix:');
        noStack(r.stderr);
      }
      const mock = await runCli(
        [
          'mock',
          '--provider',
          'toapis-kling-3.0-turbo',
          '--port',
          String(20_000 + (process.pid % 20_000)),
          '--record',
          '/proc/kc-nope/s.har',
        ],
        { timeoutMs: 45_000 },
      );
      expect(mock.code, mock.stderr).toBe(2);
      expect(mock.stderr).toContain('/proc/kc-nope/s.har');
      noStack(mock.stderr);
    },
    100_000,
  );
});
