// The whole workflow as a user types it: mock --record --faults documented, a client run, verify-client; and
// verify-client on a HAR another tool exported (a hand-trimmed mitmproxy dump).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_FILES } from '../src/report/write-report.ts';
import { runCli } from './run-cli.ts';
import { CLIENT_ENV, PYTHON } from './support/client-session.ts';
import { serveCli } from './support/serve-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

/** Starts `kling-conformance mock --json` with `args` in its own process. */
const startMockCli = (args: string[]) => serveCli(['mock', '--json', ...args]);

function runPython(script: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON(script)[0]!, PYTHON(script).slice(1), {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    child.on('close', resolve);
  });
}

describe('mock --record --faults documented, a client, verify-client', () => {
  it('is the whole workflow: exit 0 for a good client, reports written like a run', async () => {
    const dir = tempFolder('kc-verify-');
    const har = join(dir, 's.har');
    const provider = 'evolink-kling-v3-t2v';
    const mock = await startMockCli([
      '--provider',
      provider,
      '--record',
      har,
      '--faults',
      'documented',
      '--complete-after-polls',
      '2',
    ]);
    const client = await runPython('good_client.py', { KC_BASE_URL: mock.url, ...CLIENT_ENV[provider] });
    expect(await mock.stop()).toBe(0);
    expect(client).toBe(0);
    // the record lists the plan that was injected, and which fault answered which request
    const recorded = JSON.parse(readFileSync(har, 'utf8'));
    expect(recorded.log._kc.faults.name).toBe('documented');
    expect(recorded.log.entries.map((e: { _kc: { fault?: string } }) => e._kc.fault).filter(Boolean)).toEqual(
      expect.arrayContaining(['create-429', 'poll-429', 'create-500-committed', 'task-fails', 'link-expired']),
    );
    const verdict = await runCli([
      'verify-client',
      '--provider',
      provider,
      '--har',
      har,
      '--report-dir',
      join(dir, 'r'),
    ]);
    expect(verdict.code, verdict.stdout + verdict.stderr).toBe(0);
    for (const file of REPORT_FILES) expect(existsSync(join(dir, 'r', file))).toBe(true);
    expect(readFileSync(join(dir, 'r', 'junit.xml'), 'utf8')).toContain('traffic.wait_after_429');
  }, 120_000);

  it('judges a HAR exported by another tool; a missing file or a foreign provider is exit 2', async () => {
    const dir = tempFolder('kc-verify-');
    const har = 'fixtures/clients/har/mitmproxy-trimmed.har';
    const verdict = await runCli([
      'verify-client',
      '--provider',
      'toapis-kling-3.0-turbo',
      '--har',
      har,
      '--report-dir',
      dir,
    ]);
    expect(verdict.code).toBe(1);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as {
      results: { id: string; status: string; message: string }[];
    };
    const status = Object.fromEntries(results.results.map((r) => [r.id, r.status]));
    expect(status).toMatchObject({
      'traffic.wait_after_429': 'fail',
      'traffic.request_schema': 'pass',
      'traffic.poll_rate': 'pass',
      'traffic.tasks_finished': 'pass',
      'traffic.expired_link': 'pass',
      'traffic.no_duplicate_after_500': 'skip',
    });
    expect(results.results.find((r) => r.id === 'traffic.no_duplicate_after_500')?.message).toMatch(/--faults/);
    expect(results.results.find((r) => r.id === 'traffic.wait_after_429')?.message).toMatch(
      /the 2\.0 s the answer.s "Retry-After: 2" asked for/,
    );
    const missing = await runCli([
      'verify-client',
      '--provider',
      'toapis-kling-3.0-turbo',
      '--har',
      join(dir, 'none.har'),
      '--report-dir',
      join(dir, 'none'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('none.har');
    const other = await runCli([
      'verify-client',
      '--provider',
      'aimanyi-kling-3.0-turbo',
      '--har',
      har,
      '--report-dir',
      dir,
    ]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/no request .* matches aimanyi/);
  }, 60_000);

  // NEWCOMER-7 F8: commander's bare "required option" error named no fix
  it('without --provider or --har is a usage error with a fix line, exit 2', async () => {
    const noProvider = await runCli(['verify-client', '--har', 'fixtures/clients/har/mitmproxy-trimmed.har']);
    expect(noProvider.code).toBe(2);
    expect(noProvider.stderr).toMatch(/^kling-conformance: USAGE: say which provider the client talked to/);
    expect(noProvider.stderr).toMatch(
      /fix: kling-conformance verify-client --provider <id> --har <file> \(providers: .*evolink-kling-v3-t2v/,
    );
    const noHar = await runCli(['verify-client', '--provider', 'evolink-kling-v3-t2v']);
    expect(noHar.code).toBe(2);
    expect(noHar.stderr).toContain('USAGE: say which recording to judge: --har is missing');
    expect(noHar.stderr).toContain('fix: kling-conformance verify-client --provider evolink-kling-v3-t2v --har <file>');
  }, 60_000);
});
