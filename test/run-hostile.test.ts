// The runner against a hostile or broken live gateway on loopback: every read is capped, every wait bounded, and
// the key never leaves the process in any encoding. Each test failed on the code before issue 14.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { echoedForms, startHostileGateway, type HostileMode } from '../fixtures/hostile-gateway.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-Cn4ry+k3y/with"quote=and&amp-0123456789abcdef';
const ROUTE = 'rt-route-token-7c1f0e9d2b4a';
let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function live(mode: HostileMode, args: string[]) {
  const gateway = await startHostileGateway(mode);
  close = gateway.close;
  const dir = tempFolder(`kc-hostile-${mode}-`);
  const r = await runCli(
    [
      ...liveRunArgs('evolink-kling-v3-t2v', gateway.url, 'KC_HOSTILE_KEY'),
      '--report-dir',
      dir,
      '--history',
      join(dir, '..', `${mode}-history.jsonl`),
      '--poll-interval',
      '1',
      ...args,
    ],
    { env: { KC_HOSTILE_KEY: KEY }, timeoutMs: 120_000 },
  );
  // no report: say how the CLI ended (a run that threw leaves none), not only that the file is missing
  if (!existsSync(join(dir, 'results.json')))
    throw new Error(`no results.json; the CLI exited ${r.code}: ${r.stderr.slice(-2000)}`);
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
    results: { id: string; status: string; message: string; observed?: unknown }[];
  };
  return { r, dir, results: results.results, gateway };
}

describe('a hostile live gateway', () => {
  it('a JSON body that never ends is cut off at the cap and judged error, not read forever', async () => {
    const { r, results } = await live('endless-json', ['--family', 'auth', '--timeout', '60']);
    expect(r.code, r.stderr).toBe(1);
    for (const x of results) expect(x.status, x.id).not.toBe('pass');
    expect(JSON.stringify(results)).toContain('exceeded 4194304 bytes');
  }, 120_000);

  it('a body that stalls after its headers ends at the per-request timeout (not "answered 200")', async () => {
    const { r, results } = await live('stall', ['--family', 'auth', '--request-timeout', '1', '--timeout', '60']);
    expect(r.code, r.stderr).toBe(1);
    // (checks of auth conditions this scheme does not have are skipped, never sent)
    for (const x of results.filter((y) => y.status !== 'skip')) expect(x.status, `${x.id}: ${x.message}`).toBe('error');
    expect(results.find((y) => y.status !== 'skip')!.message).toContain('no complete answer within 1000 ms');
    // ended by the per-request timeout, not by the run's deadline
    for (const x of results) expect(x.message, x.id).not.toMatch(/deadline/);
  }, 120_000);

  it('--timeout bounds the whole run against a gateway that never answers: the rest is error: deadline', async () => {
    const { r, results } = await live('silent-api', ['--allow-risky', '--timeout', '15']);
    expect(r.code, r.stderr).toBe(1);
    expect(results.length).toBeGreaterThan(20);
    expect(results.every((x) => x.status === 'error' || x.status === 'skip')).toBe(true);
    expect(results.some((x) => /deadline/.test(x.message))).toBe(true);
    // ended by the run's deadline, not by each of ~160 requests waiting its 30 s request timeout
    for (const x of results) expect(x.message, x.id).not.toMatch(/within 30000 ms/);
  }, 120_000);

  it('a result link on the metadata address (169.254.169.254) is refused, never fetched, judged error', async () => {
    const { results } = await live('private-result', ['--family', 'lifecycle', '--allow-paid', '--timeout', '60']);
    const download = results.find((x) => x.id === 'lifecycle.result_download')!;
    expect(download.status).toBe('error');
    expect(download.message).toContain('169.254.169.254 (link-local)');
  }, 120_000);

  it('a result video that never ends is cut off at --max-video-mb and reported as error', async () => {
    const { results } = await live('endless-video', [
      '--family',
      'lifecycle',
      '--allow-paid',
      '--max-video-mb',
      '2',
      '--timeout',
      '60',
    ]);
    const download = results.find((x) => x.id === 'lifecycle.result_download')!;
    expect(download.status).toBe('error');
    expect(download.message).toContain('cut off');
  }, 120_000);

  it('a key and an -H value echoed back in every encoding (raw, base64, URL, JSON, hex, HTML entities, ' +
    '\\u escapes) appear in zero bytes of output', async () => {
    // --allow-risky: the reject checks' creates (forbidden bodies) are sent without a budget, echoed back too
    const { r, dir } = await live('echo', [
      '--allow-risky',
      '--family',
      'reject',
      'auth',
      '--timeout',
      '60',
      '-H',
      `X-Route-Token: ${ROUTE}`,
    ]);
    const forms = [KEY, ROUTE].flatMap((secret) => [
      secret,
      Buffer.from(secret).toString('base64').slice(4, -4),
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1),
      // the echoed forms whole, and their middle (what survives a neighbour's encoding), raw and as JSON text
      ...Object.values(echoedForms(secret))
        .filter((f) => !f.startsWith('{') && !f.startsWith('k'))
        .flatMap((f) => [f.slice(6, -6), JSON.stringify(f).slice(7, -7)]),
    ]);
    const outputs = [
      r.stdout,
      r.stderr,
      ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')),
      readFileSync(join(dir, '..', 'echo-history.jsonl'), 'utf8'),
    ];
    for (const out of outputs) for (const form of forms) expect(out.includes(form), form).toBe(false);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toContain('[REDACTED]');
  }, 120_000);

  it('refuses a key passed where the variable name belongs, without echoing it', async () => {
    const r = await runCli([
      'run',
      '--target',
      'live',
      '--provider',
      'evolink-kling-v3-t2v',
      '--base-url',
      'http://127.0.0.1:9',
      '--api-key-env',
      KEY,
      '--report-dir',
      join(tempFolder('kc-key-as-env-'), 'r'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('looks like a key, not a variable name');
    expect(r.stderr + r.stdout).not.toContain(KEY.slice(0, 12));
  }, 30_000);
});
