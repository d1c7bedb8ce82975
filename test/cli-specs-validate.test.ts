import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { materializeBrokenSpecs } from './support/spec-patch.ts';
import { listSpecIds } from '../src/spec/load-spec.ts';

describe('kling-conformance specs', () => {
  it('lists every provider with endpoints, defaults (conflicts shown) and availability', async () => {
    const r = await runCli(['specs']);
    expect(r.code).toBe(0);
    for (const id of listSpecIds()) expect(r.stdout).toContain(id);
    expect(r.stdout).toContain('duration=5 (also documented: 6)');
    expect(r.stdout).toContain('GET /kling/tasks?task_ids={id} (inferred)');
    expect(r.stdout).toMatch(/toapis-kling-v3-fast .* not_available/);
  });

  it('fits the terminal: at 100 columns every line fits, each provider a block; wide, a table that wraps', async () => {
    const r = await runCli(['specs'], { env: { COLUMNS: '100' } });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(Math.max(...lines.map((l) => stringWidth(l)))).toBeLessThanOrEqual(100);
    expect(lines.length).toBeGreaterThan(listSpecIds().length + 2);
    for (const id of listSpecIds()) expect(r.stdout).toMatch(new RegExp(`^${id.replace(/\./g, '\\.')}$`, 'm'));
    // wide enough for columns: a table whose long cells wrap within 200 columns
    const wide = await runCli(['specs'], { env: { COLUMNS: '200' } });
    const wideLines = wide.stdout.trimEnd().split('\n');
    expect(wideLines.some((l) => /^-+ {2}-+/.test(l))).toBe(true);
    expect(Math.max(...wideLines.map((l) => stringWidth(l)))).toBeLessThanOrEqual(200);
  });

  it('--json gives machines the same facts with every claim and its source', async () => {
    const r = await runCli(['specs', '--json']);
    const list = JSON.parse(r.stdout) as {
      id: string;
      defaults: { duration: { claims: { value: unknown; source: string }[] } };
    }[];
    const toapis = list.find((p) => p.id === 'toapis-kling-3.0-turbo')!;
    expect(toapis.defaults.duration.claims.map((c) => c.value)).toEqual([5, 5, 6]);
    expect(toapis.defaults.duration.claims[2]!.source).toContain('000_5a6a22526788a8ad.txt');
  });

  it('a broken spec folder is a harness error: exit 2, file, pointer and fix on stderr', async () => {
    const r = await runCli(['--specs', materializeBrokenSpecs(), 'specs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SPEC_(INVALID|PARSE) \S*kc-broken-\w+\/[a-z-]+\/openapi\.yaml/);
    expect(r.stderr).toContain('fix:');
  });
});

describe('kling-conformance validate', () => {
  it('exit 0 for a valid body', async () => {
    const r = await runCli([
      'validate',
      '--provider',
      'aimanyi-kling-3.0-turbo',
      '--body',
      '{"prompt":"a cat","settings":{"duration":5}}',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid');
  });

  it('exit 1 and each error in plain words with its field', async () => {
    const r = await runCli([
      'validate',
      '--provider',
      'aimanyi-kling-3.0-turbo',
      '--body',
      '{"contents":[{"type":"first_frame","text":"x"}],"settings":{"duration":16}}',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('/contents/0/type: must be "prompt" (got "first_frame")');
    expect(r.stdout).toContain('/settings/duration: must be <= 15 (got 16)');
  });

  it('reads the body from a file or standard input', async () => {
    const fromStdin = await runCli(['validate', '--provider', 'apiinone-kling-3', '-'], {
      stdin: '{"model":"kling-3"}',
    });
    expect(fromStdin.code).toBe(1);
    expect(fromStdin.stdout).toContain('/prompt: prompt is required');
    const fromFile = await runCli([
      'validate',
      '--provider',
      'toapis-kling-3.0-turbo',
      '--file',
      'fixtures/bodies/toapis-preview.json',
    ]);
    expect(fromFile.code).toBe(0);
  });

  it('exit 2 with a fix for usage errors: unknown provider, bad JSON, no body', async () => {
    const unknown = await runCli(['validate', '--provider', 'nope', '--body', '{}']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown provider "nope"');
    const bad = await runCli(['validate', '--provider', 'apiinone-kling-3', '--body', '{oops']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('INPUT');
    const none = await runCli(['validate', '--provider', 'apiinone-kling-3']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no body given');
  });

  it('--help works on every command', async () => {
    for (const command of ['specs', 'validate', 'mock', 'run', 'cases']) {
      const r = await runCli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout).toContain(`Usage: kling-conformance ${command}`);
    }
  });
});

describe('kling-conformance cases', () => {
  it('prints labelled cases as JSON for other tools, reproducibly per seed', async () => {
    const a = await runCli([
      'cases',
      '--provider',
      'aimanyi-kling-3.0-turbo',
      '--seed',
      '3',
      '--format',
      'json',
      '--rule',
      'maxLength+1',
    ]);
    expect(a.code).toBe(0);
    const cases = JSON.parse(a.stdout) as {
      id: string;
      rule: string;
      body: unknown;
      expect: { outcome: string; status?: number };
    }[];
    expect(cases.length).toBeGreaterThanOrEqual(4);
    for (const c of cases) expect(c).toMatchObject({ rule: 'maxLength+1', expect: { outcome: 'reject', status: 400 } });
    const again = await runCli([
      'cases',
      '--provider',
      'aimanyi-kling-3.0-turbo',
      '--seed',
      '3',
      '--format',
      'json',
      '--rule',
      'maxLength+1',
    ]);
    expect(again.stdout).toBe(a.stdout);
  });

  it('prints a table with counts per rule, and exit 2 for an unknown rule', async () => {
    const t = await runCli(['cases', '--provider', 'evolink-kling-v3-t2v']);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/\d+ cases \(seed 1\): .*maxLength\+1 \d+/);
    const bad = await runCli(['cases', '--provider', 'evolink-kling-v3-t2v', '--rule', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use one of');
  });
});
