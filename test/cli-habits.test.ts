// The CLI as people type it: --version, piping into head, flag values checked against their choices.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('the CLI as typed', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('piping into head never throws EPIPE', () => {
    const r = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; ${process.execPath} bin/kling-conformance.js cases --provider ` +
          `evolink-kling-v3-t2v --format json | head -c 50 > /dev/null`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.status).toBe(0);
  }, 60_000);

  it('a flag value outside its choices is a usage error (exit 2) naming the allowed ones', async () => {
    for (const args of [
      ['run', '--target', 'bogus'],
      ['mock', '--all', '--schema-claims', 'bogus'],
      ['run', '--fail-on', 'sometimes'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('Allowed choices are');
    }
  }, 60_000);
});
