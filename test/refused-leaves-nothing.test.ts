// A command refused on a harness error before any traffic (a bad flag, an upstream not allowed, a port taken, a HAR
// that cannot be read) leaves nothing behind: no empty --report-dir, no folder made for it, no recording journal.
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const PROVIDER = 'fal-kling-v3-standard-t2v';
let taken: Server;
let takenPort: number;

beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  takenPort = (taken.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

/** runs the command in a fresh folder; the exit code, stderr and what the folder holds afterwards */
async function inFreshFolder(args: (dir: string) => string[]) {
  const dir = tempFolder('kc-refused-');
  const r = await runCli(args(dir));
  return { code: r.code, stderr: r.stderr, left: readdirSync(dir, { recursive: true }) };
}

const proxy =
  (...more: string[]) =>
  (dir: string) => [
    'proxy',
    '--provider',
    PROVIDER,
    '--report-dir',
    join(dir, 'reports', 'proxy'),
    '--record',
    join(dir, 'records', 'session.har'),
    ...more,
  ];

describe('a command refused before any traffic creates nothing', () => {
  it.each([
    ['an --upstream that is not a URL', ['--upstream', 'not-a-url'], /is not a URL/],
    ['an --upstream not allowed', ['--upstream', 'https://evil.example'], /not fal-kling-v3-standard-t2v's documented/],
    ['a bad --max-requests', ['--upstream', 'https://queue.fal.run', '--max-requests', 'abc'], /--max-requests/],
    ['a --port past 65535', ['--upstream', 'https://queue.fal.run', '--port', '99999'], /--port must be a port/],
  ])('proxy with %s: exit 2, nothing created', async (_, flags, message) => {
    const r = await inFreshFolder(proxy(...flags));
    expect(r.stderr).toMatch(message);
    expect([r.code, r.left]).toEqual([2, []]);
  });

  it('proxy on a port already taken: exit 2, no report folder, no recording journal', async () => {
    const r = await inFreshFolder(proxy('--upstream', 'https://queue.fal.run', '--port', String(takenPort)));
    expect(r.stderr).toMatch(/EADDRINUSE/);
    expect([r.code, r.left]).toEqual([2, []]);
  });

  it('mock --record on a port already taken: exit 2, no recording journal', async () => {
    const r = await inFreshFolder((dir) => [
      'mock',
      '--provider',
      PROVIDER,
      '--port',
      String(takenPort),
      '--record',
      join(dir, 'records', 'session.har'),
    ]);
    expect(r.stderr).toMatch(/EADDRINUSE/);
    expect([r.code, r.left]).toEqual([2, []]);
  });

  it('verify-client with a HAR that is not one: exit 2, no report folder', async () => {
    const r = await inFreshFolder((dir) => [
      'verify-client',
      '--provider',
      PROVIDER,
      '--har',
      join(dir, 'missing.har'),
      '--report-dir',
      join(dir, 'reports', 'verify'),
    ]);
    expect(r.stderr).toMatch(/cannot read/);
    expect([r.code, r.left]).toEqual([2, []]);
  });
});
