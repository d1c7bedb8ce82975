// Progress as a person at a terminal sees it (a pseudo-terminal from util-linux `script`) and as a CI log does.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** EvoLink's defaults family on the mock, its reports in `dir`. */
const defaultsRun = (dir: string) => [
  ...'run --provider evolink-kling-v3-t2v --family defaults --target mock'.split(' '),
  ...['--report-dir', dir, '--history', join(dir, 'h.jsonl')],
];

function inTerminal(args: string[], env: Record<string, string> = {}): Promise<string> {
  const command = ['node', 'bin/kling-conformance.js', ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, COLUMNS: '200', ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(out));
  });
}

describe('run progress', () => {
  it('on a terminal: a live line with the running check and its poll status, rewritten in place', async () => {
    const dir = tempDir('kc-tty-');
    const out = await inTerminal(defaultsRun(dir));
    expect(out).toContain('\r\x1b[2K');
    expect(out).toMatch(
      new RegExp(
        String.raw`evolink-kling-v3-t2v defaults\.\w+: poll (pending|processing|completed) · ` +
          String.raw`\d+ s in this check · \d+ s / 900 s`,
      ),
    );
    expect(out).toMatch(/pass {2}evolink-kling-v3-t2v defaults\.duration \(\d+ ms\)/);
  }, 60_000);

  it('off a terminal (a CI log): one line per finished check, nothing drawn', async () => {
    const dir = tempDir('kc-notty-');
    const r = await runCli(defaultsRun(dir));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('\x1b[');
    // one line per defaults check: duration, aspect_ratio, resolution and explicit_settings
    expect(r.stderr.split('\n').filter((l) => /^(pass|fail|warn|info|skip|error) /.test(l))).toHaveLength(4);
  }, 60_000);

  it('on a terminal that says TERM=dumb: no cursor escapes, only the finished-check lines', async () => {
    const dir = tempDir('kc-dumb-');
    const out = await inTerminal(defaultsRun(dir), { TERM: 'dumb' });
    expect(out).not.toContain('\x1b[');
    expect(out).toMatch(/pass {2}evolink-kling-v3-t2v defaults\.duration \(\d+ ms\)/);
  }, 60_000);
});
