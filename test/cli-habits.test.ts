// The CLI as people type it: --version, piping into head, flag values checked against their choices, a dry run's
// tables fitted to an 80-column terminal.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { liveRunArgs, runCli } from './run-cli.ts';

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

  it("run --dry-run fits an 80-column terminal: the request list, each night's heading and paid items", async () => {
    const dry = (env: Record<string, string>) =>
      runCli(
        [
          ...liveRunArgs('evolink-kling-v3-t2v', 'http://127.0.0.1:9', 'KC_DRY_KEY'),
          ...['--allow-paid', '--budget', '1USD', '--dry-run', '--quiet'],
          ...['--history', join(tmpdir(), `kc-no-history-${process.pid}.jsonl`)],
        ],
        { env: { KC_DRY_KEY: 'sk-dry-run-width-0123456789', ...env } },
      );
    const r = await dry({ COLUMNS: '80' });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => stringWidth(l) > 80)).toEqual([]);
    // every paid item whole on a line of its own, its reason for tonight beside the column's name
    expect(r.stdout).toMatch(/^boundary\.conditional\.else-not-required$/m);
    expect(r.stdout).toMatch(/^ {2}tonight +paid, skipped for budget: due on night \d/m);
    expect(r.stdout).toMatch(/^evolink-kling-v3-t2v: night 1, budget 1 USD/m);
    // a pipe (no terminal, no $COLUMNS): one line per row, as grep expects
    const piped = await dry({ COLUMNS: '' });
    expect(piped.stdout).toMatch(/^boundary\.maximum +1 +1\.125 USD +never +paid, saved for: due on night \d/m);
  }, 60_000);
});
