// The build ships the built-in specs parsed and validated, and their validators compiled (dist/cache/, by
// scripts/warm-cache.mjs): the first command after an install reads them instead of parsing YAML and compiling
// schemas. They must give exactly what a fresh parse and compile give, and an edited spec must never get them.
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const entries = (dir: string) =>
  existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).match(/\.(json|cjs)$/)) : [];

describe('the shipped cache', () => {
  it('is in the build, for every built-in spec', () => {
    expect(entries('dist/cache').filter((f) => String(f).endsWith('.json'))).toHaveLength(
      readdirSync('specs').filter((d) => existsSync(join('specs', d, 'openapi.yaml'))).length,
    );
    expect(entries('dist/cache/validators').length).toBeGreaterThan(20);
  });

  it('serves a first run (empty project cache) with what a run with no cache at all computes', async () => {
    const empty = tempFolder('kc-first-run-');
    // the specs the tool ships (what its cache covers), not the test run's specs folder
    const shipped = { KLING_SPECS_DIR: undefined };
    for (const args of [['specs'], ['cases', '--provider', 'evolink-kling-v3-t2v', '--format', 'json']]) {
      const first = await runCli(args, { env: { ...shipped, KLING_CONFORMANCE_CACHE_DIR: empty } });
      const none = await runCli(args, { env: { ...shipped, KLING_CONFORMANCE_NO_CACHE: '1' } });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toBe(none.stdout);
    }
    // everything came from the shipped entries: nothing had to be parsed or compiled, so nothing was stored
    expect(entries(empty)).toEqual([]);
  });

  it('never answers for an edited spec: it is parsed, judged and cached afresh', async () => {
    const specs = tempFolder('kc-edited-');
    cpSync('specs/evolink-kling-v3-t2v', join(specs, 'evolink-kling-v3-t2v'), { recursive: true });
    const file = join(specs, 'evolink-kling-v3-t2v', 'openapi.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n# edited\n`);
    const cache = tempFolder('kc-edited-cache-');
    const r = await runCli(['--specs', specs, 'specs'], { env: { KLING_CONFORMANCE_CACHE_DIR: cache } });
    expect(r.code, r.stderr).toBe(0);
    expect(entries(cache).filter((f) => String(f).endsWith('.json'))).toHaveLength(1);
  });
});
