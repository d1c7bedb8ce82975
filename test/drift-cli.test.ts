import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAjv } from '../src/core/ajv.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const require = createRequire(import.meta.url);
const validateDrift = createAjv().compile(require('../src/drift/drift.schema.json') as object);

describe('kling-conformance drift --results (observed vs documented)', () => {
  it('on a mock run that follows the other claims, reports exactly the switched ' +
    'facts that can be observed', async () => {
    const dir = tempFolder('kc-other-');
    const run = await runCli([
      'run',
      '--all',
      '--target',
      'mock',
      '--mock-claims',
      'other',
      '--family',
      'defaults',
      'auth',
      'reject',
      'shape',
      '--report-dir',
      dir,
      '--history',
      join(dir, 'history.jsonl'),
      '--quiet',
    ]);
    expect([0, 1]).toContain(run.code);
    const drift = await runCli(['drift', '--results', join(dir, 'results.json'), '--format', 'json']);
    expect(drift.code).toBe(1);
    const report = JSON.parse(drift.stdout) as {
      items: { provider: string; fact: string; matches: string[]; message: string }[];
    };
    expect(validateDrift(report)).toBe(true);
    // ToAPIs documents two defaults for duration (5 vs 6) and two names for 400, 401 and 404 (the 404's code is
    // judged since a documented error status passes only with a documented code); the resolution default (720p vs
    // 720P) is the same 720 px in the video, so it cannot be observed. Single-claim facts never drift.
    expect(report.items.map((i) => `${i.provider} ${i.fact}`).sort()).toEqual([
      'toapis-kling-3.0-turbo default.duration',
      'toapis-kling-3.0-turbo error.400.code',
      'toapis-kling-3.0-turbo error.401.code',
      'toapis-kling-3.0-turbo error.404.code',
      'toapis-kling-v3-fast error.401.code',
      'toapis-kling-v3-fast error.404.code',
    ]);
    const duration = report.items.find((i) => i.fact === 'default.duration')!;
    expect(duration.message).toContain('observed default duration 6 where the chosen claim says 5');
    expect(duration.matches.join()).toContain('关键参数 table');
    // an error code says what it departs from: the chosen claim and its source, then the claim it follows instead
    const code400 = report.items.find((i) => i.provider === 'toapis-kling-3.0-turbo' && i.fact === 'error.400.code')!;
    expect(code400.message).toContain(
      'observed "invalid_request_error" where the chosen claim says "invalid_request" (',
    );
    expect(code400.message).toMatch(/\(https:\/\/docs\.toapis\.com\/.+\); it matches "invalid_request_error" \(/);
  }, 120_000);

  it('markdown output for people, and usage errors exit 2', async () => {
    const md = await runCli(['drift', '--provider', 'toapis-kling-3.0-turbo']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('**default.duration** (competing-claims)');
    expect(md.stdout).toContain('← the mock follows this claim');
    const bad = await runCli(['drift', '--results', 'nope.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot read nope.json');
  });
});

describe('kling-conformance diff and compare', () => {
  it('diff of a folder against a git revision of itself has no changes (exit 0); JSON matches our schema', async () => {
    const r = await runCli([
      'diff',
      'HEAD:specs/evolink-kling-v3-t2v',
      'specs/evolink-kling-v3-t2v',
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(validateDrift(JSON.parse(r.stdout))).toBe(true);
    const bad = await runCli(['diff', 'no-such-rev:specs/evolink-kling-v3-t2v', 'specs/evolink-kling-v3-t2v']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('git cannot show');
  });

  it('diff exits 1 when a change reaches --fail-on', async () => {
    const r = await runCli(['diff', 'specs/toapis-kling-3.0-turbo', 'specs/toapis-kling-v3-fast', '--fail-on', 'ERR']);
    expect(r.code).toBe(1);
    // the placeholder model is withdrawn against the live one; its own page documents watermark and reference_images
    expect(r.stdout).toMatch(/\| ERR \| model-withdrawn/);
    expect(r.stdout).not.toMatch(/request-field-removed/);
    expect(r.stdout).toMatch(/\| WARN \| request-field-added \| `\/mode`/);
  });

  it('compare prints the cross-provider table the committed docs/providers.md holds', async () => {
    // the committed page is generated from the shipped specs/, not the test run's specs folder
    const r = await runCli(['compare'], { env: { KLING_SPECS_DIR: undefined } });
    expect(r.code).toBe(0);
    // the same page but for the committed doc's "Generated … Do not edit" line
    const committed = readFileSync('docs/providers.md', 'utf8').replace(/<!-- Generated [^\n]*-->\n\n/, '');
    expect(committed).not.toContain('Do not edit');
    expect(r.stdout.trim()).toBe(committed.trim());
  });
});
