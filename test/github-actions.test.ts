// Under GitHub Actions a run writes its summary to $GITHUB_STEP_SUMMARY and annotates each failing check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startNonconformingGateway } from '../fixtures/nonconforming-gateway.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

describe('GitHub Actions', () => {
  it('appends the summary to $GITHUB_STEP_SUMMARY and prints ::error annotations ' +
    '(stderr), the key nowhere', async () => {
    const key = 'sk-gha-0123456789abcdef0123';
    const gateway = await startNonconformingGateway(key);
    try {
      const dir = tempFolder('kc-gha-');
      const stepSummary = join(dir, 'step-summary.md');
      const r = await runCli(
        [
          ...liveRunArgs('evolink-kling-v3-t2v', gateway.url, 'KC_GHA_KEY'),
          '--checks',
          'auth.*',
          '--report-dir',
          join(dir, 'r'),
          '--history',
          join(dir, 'h.jsonl'),
          '--quiet',
          // the gateway's auth departures rest on our reading of the error body: under --strict they fail
          '--strict',
        ],
        {
          env: { KC_GHA_KEY: key, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: stepSummary },
        },
      );
      expect(r.code, r.stderr).toBe(1);
      const summary = readFileSync(stepSummary, 'utf8');
      expect(summary).toContain('# kling-conformance: live run');
      expect(summary).toContain('auth.missing_key');
      expect(r.stderr).toMatch(/^::error title=evolink-kling-v3-t2v auth\.missing_key::fail: /m);
      expect(r.stdout).not.toContain('::error');
      expect(summary + r.stderr + r.stdout).not.toContain(key);
    } finally {
      await gateway.close();
    }
  }, 60_000);
});
