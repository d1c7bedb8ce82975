// `kling-conformance mock --all` as a user runs it by hand, driven over real HTTP with undici.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { probeMp4 } from '../src/client/probe-video.ts';
import { liveRunArgs, runCli } from './run-cli.ts';

describe('kling-conformance mock --all', () => {
  it('serves every provider on its own port, behaves as documented, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/kling-conformance.js', 'mock', '--all', '--port', '18731', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mock did not start: ${out} ${err}`)), 20_000);
      child.stderr.on('data', () => err.includes('Ctrl-C') && (clearTimeout(timer), resolve()));
    });
    try {
      // --json: one machine-readable line on stdout, provider → base URL (clients in other languages read it)
      const urls = JSON.parse(out) as Record<string, string>;
      expect(urls['evolink-kling-v3-t2v']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const base = urls['aimanyi-kling-3.0-turbo']!;
      const post = (body: unknown, key?: string) =>
        request(`${base}/kling/text-to-video/kling-3.0-turbo`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
          body: JSON.stringify(body),
        });
      expect((await post({ prompt: 'a cat' })).statusCode).toBe(401);
      expect((await post({ contents: [{ type: 'first_frame', text: 'a cat' }] }, 'k')).statusCode).toBe(400);
      const created = (await (
        await post({ prompt: 'a cat', settings: { duration: 7, aspect_ratio: '9:16' } }, 'k')
      ).body.json()) as { data: { id: string } };
      let polled: { data: { status: string; outputs?: { url: string }[] }[] } | undefined;
      for (let i = 0; i < 5 && polled?.data[0]?.status !== 'succeeded'; i++) {
        polled = (await (
          await request(`${base}/kling/tasks?task_ids=${created.data.id}`, { headers: { authorization: 'Bearer k' } })
        ).body.json()) as typeof polled;
      }
      const video = await request(polled!.data[0]!.outputs![0]!.url);
      expect(probeMp4(new Uint8Array(await video.body.arrayBuffer()))).toEqual({
        durationSeconds: 7,
        width: 720,
        height: 1280,
      });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(err).toContain('mocks stopped');
    // a provider that refuses callback URLs without webhook settings says which ones this account lacks
    expect(err).toContain(
      'toapis-kling-3.0-turbo: a callback URL gets 400 webhook_not_configured (the account lacks ' +
        '--callback-default URL and --callback-secret S)',
    );
    expect(err).not.toMatch(/evolink-kling-v3-t2v: a callback URL/);
    expect(out.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('a live run against a plain mock (no --valid-key) passes auth.invalid_key: the wrong key is refused', async () => {
    const child = spawn(
      process.execPath,
      ['bin/kling-conformance.js', 'mock', '--provider', 'evolink-kling-v3-t2v', '--port', '18761', '--json'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => child.on('close', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'kc-plain-mock-'));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('mock did not start')), 30_000);
        child.stdout.on('data', () => out.includes('\n') && (clearTimeout(timer), resolve()));
      });
      const base = (JSON.parse(out) as Record<string, string>)['evolink-kling-v3-t2v']!;
      const r = await runCli(
        [
          ...liveRunArgs('evolink-kling-v3-t2v', base, 'KC_PLAIN_KEY'),
          '--family',
          'auth',
          '--report-dir',
          dir,
          '--history',
          join(dir, 'h.jsonl'),
          '--quiet',
        ],
        { env: { KC_PLAIN_KEY: 'sk-any-key-the-user-has' }, timeoutMs: 120_000 },
      );
      expect(r.code, r.stderr).toBe(0);
      const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
        results: { id: string; status: string }[];
      };
      expect(results.results.find((c) => c.id === 'auth.invalid_key')?.status).toBe('pass');
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
    await exited;
  }, 180_000);
});
