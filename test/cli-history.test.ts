// `kling-conformance history` over 30 nights: a regression, a flaky check, a price change — read back per check
// (current status, since when, last change, flake rate) and per provider (pass rate, billable tasks).
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

function nights(): string {
  const lines: string[] = [];
  for (let n = 1; n <= 30; n++) {
    const checks: Record<string, { status: string }> = {
      'evolink-kling-v3-t2v defaults.duration': { status: n >= 25 ? 'fail' : 'pass' }, // regression on night 25
      'evolink-kling-v3-t2v lifecycle.terminal': { status: n % 7 === 0 ? 'error' : 'pass' }, // a transient blip weekly
      'evolink-kling-v3-t2v auth.missing_key': { status: 'pass' },
    };
    const fail = Object.values(checks).filter((c) => c.status !== 'pass').length;
    lines.push(
      JSON.stringify({
        id: `night-${n}`,
        startedAt: new Date(Date.UTC(2026, 10, n, 2)).toISOString(),
        target: 'live',
        providers: ['evolink-kling-v3-t2v'],
        summary: {},
        byProvider: {
          'evolink-kling-v3-t2v': {
            pass: 3 - fail,
            fail: n >= 25 ? 1 : 0,
            error: n % 7 === 0 ? 1 : 0,
            warn: 0,
            info: 0,
            skip: 0,
          },
        },
        failed: [],
        checks,
        billableTasks: n < 15 ? 1 : 2,
        reportDir: `r/${n}`,
      }),
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('kling-conformance history', () => {
  it('says per check what fails now and since when, what flips, and the pass rate over time', async () => {
    const file = join(tempFolder('kc-hist-cli-'), 'history.jsonl');
    // a torn or edited line is exit 2 naming the file, the line and the fix (a run it hides would look absent)
    writeFileSync(file, `${nights()}{"torn line\n`);
    const torn = await runCli(['history', '--history', file, '--format', 'json']);
    expect(torn.code).toBe(2);
    expect(torn.stderr).toContain(`${file}: line 31 is not a readable history line`);
    expect(torn.stderr).toContain(`sed -i '31d' ${file}`);
    writeFileSync(file, nights());
    const json = await runCli(['history', '--history', file, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const stats = JSON.parse(json.stdout) as {
      window: { runs: number };
      checks: {
        check: string;
        current: string;
        since: { id: string };
        lastChange?: { from: string; to: string };
        flakeRate: number;
      }[];
      providers: { runs: { passRate: number; billableTasks: number }[] }[];
    };
    expect(stats.window.runs).toBe(30);
    const duration = stats.checks.find((c) => c.check === 'defaults.duration')!;
    expect(duration).toMatchObject({
      current: 'fail',
      since: { id: 'night-25' },
      lastChange: { from: 'pass', to: 'fail' },
    });
    const terminal = stats.checks.find((c) => c.check === 'lifecycle.terminal')!;
    expect(terminal.flakeRate).toBeGreaterThan(0.1);
    expect(stats.checks.find((c) => c.check === 'auth.missing_key')).toMatchObject({ current: 'pass', flakeRate: 0 });
    expect(stats.providers[0]!.runs.map((r) => r.billableTasks)).toContain(2);
    const md = await runCli(['history', '--history', file, '--since', '400d']);
    // durations as the ms library reads them: weeks and minutes too; an unreadable one is a usage error
    expect((await runCli(['history', '--history', file, '--since', '60w'])).stdout).toContain('## Failing now (1)');
    expect((await runCli(['history', '--history', file, '--since', '45m'])).code).toBe(0);
    const bad = await runCli(['history', '--history', file, '--since', 'fortnight']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since fortnight is not a window/);
    expect(md.stdout).toContain('## Failing now (1)');
    expect(md.stdout).toMatch(/defaults.duration` \| fail \| .*night-25/);
    expect((await runCli(['history', '--history', join(tmpdir(), 'kc-no-such-history.jsonl')])).code).toBe(2);
  }, 90_000);

  it('renders the 30-night fixture to markdown: the regression, the flaky check, ' +
    'transient blips, the price change', async () => {
    const md = await runCli(['history', '--history', 'fixtures/history/30-nights.jsonl']);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('## Failing now (1)');
    expect(md.stdout).toMatch(
      new RegExp(
        String.raw`evolink-kling-v3-t2v \| .defaults.duration. \| fail \| 2026-11-17T02:00:00.000Z \(night-22\) ` +
          String.raw`\| pass → fail at night-22 .*default duration is 10 s`,
      ),
    );
    expect(md.stdout).toMatch(
      /## Flaky: good ↔ bad 3 or more times \(1\)\n\n.*\n.*\n\| fal-kling-v3-standard-t2v \| `shape.poll.succeeded`/,
    );
    expect(md.stdout).toMatch(/toapis-kling-v3-fast \| `lifecycle.terminal` \| pass .* \| 4 \/ 1 \|/);
    expect(md.stdout).toContain(
      '- **night-20** (2026-11-15T02:00:00.000Z, live, since night-19): price of ' +
        "`aimanyi-kling-3.0-turbo`'s default task: 0.5 → 0.6 USD",
    );
    expect(md.stdout).toContain(
      '- **night-13** (2026-11-08T02:00:00.000Z, live, since night-12): fixed: `apiinone-kling-3 reject.first_frame`',
    );
    expect(md.stdout).toMatch(/\| night-20 \| 2026-11-15T02:00:00.000Z \| 2.21 USD \+ 30 credits \|/);
    expect((await runCli(['history', '--history', 'fixtures/history/30-nights.jsonl', '--target', 'mock'])).code).toBe(
      2,
    );
  }, 30_000);
});
