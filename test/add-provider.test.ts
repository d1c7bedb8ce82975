// "A new gateway is a new folder under specs/, no code": a provider folder from fixtures (conventions unlike any
// shipped spec) is copied into a temp specs dir, and every command works on it with nothing else changed.
import { spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const ID = 'acme-kling-v3';
let specs: string;
let dir: string;
beforeAll(() => {
  specs = tempFolder('kc-specs-');
  cpSync(join('fixtures/providers', ID), join(specs, ID), { recursive: true });
  dir = tempFolder('kc-acme-');
});

describe('adding a provider is adding a folder', () => {
  it('specs, validate and cases read it', async () => {
    const list = await runCli(['--specs', specs, 'specs']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`${ID}`);
    expect(list.stdout).toContain('POST /v2/generate/kling-3');
    const ok = await runCli([
      '--specs',
      specs,
      'validate',
      '--provider',
      ID,
      '--body',
      '{"model":"kling-3","input":{"text":"a cat"}}',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const bad = await runCli([
      '--specs',
      specs,
      'validate',
      '--provider',
      ID,
      '--body',
      '{"model":"kling-3","input":{"text":"a cat"},"params":{"seconds":7}}',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('/params/seconds');
    const cases = await runCli(['--specs', specs, 'cases', '--provider', ID, '--format', 'json']);
    expect(cases.code, cases.stderr).toBe(0);
    expect((JSON.parse(cases.stdout) as unknown[]).length).toBeGreaterThan(20);
  });

  it('run --target mock judges it through its own conventions: every check passes or ' +
    'names why it cannot apply', async () => {
    const r = await runCli(
      [
        '--specs',
        specs,
        'run',
        '--all',
        '--target',
        'mock',
        '--report-dir',
        dir,
        '--history',
        join(dir, 'h.jsonl'),
        '--quiet',
      ],
      { timeoutMs: 120_000 },
    );
    expect(r.code, r.stderr).toBe(0);
    const results = (
      JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
        results: { id: string; status: string; message: string }[];
      }
    ).results;
    expect(
      results.filter((x) => x.status !== 'pass' && x.status !== 'skip').map((x) => `${x.id}: ${x.message}`),
    ).toEqual([]);
    // the checks that exercise its conventions ran and passed: X-Api-Key with no prefix, 201 on create, the id
    // and status under /job, the poll id in the query, the prompt under /input/text, the default duration
    for (const id of [
      'auth.missing_key',
      'auth.invalid_key',
      'shape.create',
      'lifecycle.transitions',
      'lifecycle.link_expiry',
      'reject.prompt_missing',
      'reject.first_frame',
      'defaults.duration',
      'retry.429.backoff',
    ]) {
      expect(results.find((x) => x.id === id)?.status, id).toBe('pass');
    }
  }, 150_000);

  it('mock serves it over HTTP, with its own auth header', async () => {
    const child = spawn(process.execPath, ['bin/kling-conformance.js', '--specs', specs, 'mock', '--all', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((resolve) => child.on('close', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('mock did not start')), 20_000);
        child.stdout.on('data', () => out.includes('\n') && (clearTimeout(timer), resolve()));
      });
      const base = (JSON.parse(out) as Record<string, string>)[ID]!;
      const post = (headers: Record<string, string>) =>
        request(`${base}/v2/generate/kling-3`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ model: 'kling-3', input: { text: 'a cat' } }),
        });
      const refused = await post({ authorization: 'Bearer k' });
      expect(refused.statusCode).toBe(401);
      expect(await refused.body.json()).toMatchObject({ error: { code: 'invalid_key' } });
      const created = await post({ 'x-api-key': 'k' });
      expect(created.statusCode).toBe(201);
      const { job } = (await created.body.json()) as { job: { id: string; state: string } };
      expect(job.state).toBe('queued');
      const polled = await request(`${base}/v2/jobs?id=${job.id}`, { headers: { 'x-api-key': 'k' } });
      expect(((await polled.body.json()) as { job: { id: string } }).job.id).toBe(job.id);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);

  it('drift, compare, diff and history read it too', async () => {
    const drift = await runCli(['--specs', specs, 'drift', '--provider', ID]);
    expect(drift.code, drift.stderr).toBe(0);
    const compare = await runCli(['--specs', specs, 'compare', '--format', 'json']);
    expect(compare.code, compare.stderr).toBe(0);
    expect(JSON.parse(compare.stdout)).toMatchObject({ providers: [ID] });
    expect(compare.stdout).toContain('X-Api-Key: $ACME_API_KEY');
    const diff = await runCli(['diff', join(specs, ID), join(specs, ID)]);
    expect(diff.code, diff.stderr).toBe(0);
    const history = await runCli(['history', '--history', join(dir, 'h.jsonl'), '--format', 'json']);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain(ID);
  }, 60_000);
});
