// The build precompiles the OpenAPI 3.1 meta-schema and the x-conformance schema (scripts/precompile-validators.mjs);
// the sources compile them at start. Both must judge alike: every broken-spec fixture gets the same harness error
// from the built CLI as from the source loader, and every shipped spec still loads.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../src/core/errors.ts';
import { loadSpec } from '../src/spec/load-spec.ts';
import { runCli } from './run-cli.ts';
import { materializeBrokenSpecs } from './support/spec-patch.ts';

describe('precompiled validators', () => {
  it('are in the build', () => {
    expect(existsSync('dist/src/spec/openapi-3.1.validate.cjs')).toBe(true);
    expect(existsSync('dist/src/spec/x-conformance.validate.cjs')).toBe(true);
  });

  it('give each broken spec the error the source loader gives', async () => {
    const dir = materializeBrokenSpecs();
    const ids = readdirSync(dir).filter((id) => existsSync(join(dir, id, 'openapi.yaml')));
    expect(ids.length).toBeGreaterThanOrEqual(8);
    for (const id of ids) {
      const fromSource = await loadSpec(join(dir, id)).then(
        () => undefined,
        (e: unknown) => e as HarnessError,
      );
      const built = await runCli(['--specs', dir, 'cases', '--provider', id]);
      if (!fromSource) {
        expect(built.code, `${id}: ${built.stderr}`).toBe(0);
        continue;
      }
      expect(fromSource).toBeInstanceOf(HarnessError);
      expect(built.code, id).toBe(2);
      expect(built.stderr, id).toContain(`kling-conformance: ${fromSource.code}`);
      expect(built.stderr, id).toContain(fromSource.message);
    }
  }, 120_000);
});
