// A --client module's `providers` bound the run: loaded through tsx (a .ts adapter importing a .ts client by its .js
// name, as docs/client-adapter.md shows), the providers it does not speak skipped with the reason.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../spec/load-spec.ts';
import { judgedByClient } from './client-providers.ts';

const specsDir = resolve('specs');

describe('judgedByClient', () => {
  it('judges only the providers a client declares; the others come back skipped, saying why', async () => {
    const specs = await loadAllSpecs(specsDir);
    const clientModule = resolve('fixtures/consumer/my-adapter.ts');
    const { judged, notJudged } = await judgedByClient(specs, { clientModule, specsDir, families: ['retry'] });
    expect(judged.map((s) => s.id)).toEqual(['evolink-kling-v3-t2v']);
    expect(notJudged.length).toBeGreaterThan(0);
    expect(new Set(notJudged.map((r) => r.provider)).has('evolink-kling-v3-t2v')).toBe(false);
    expect(notJudged.every((r) => r.status === 'skip' && r.family === 'retry')).toBe(true);
    expect(notJudged[0]!.message).toMatch(/not judged: the client .*my-adapter\.ts declares `providers` evolink/);
  });

  it('judges every provider for a client that declares none', async () => {
    const specs = await loadAllSpecs(specsDir);
    const clientModule = resolve('fixtures/adapters/naive-retry-adapter.ts');
    const { judged, notJudged } = await judgedByClient(specs, { clientModule, specsDir });
    expect(judged).toHaveLength(specs.length);
    expect(notJudged).toEqual([]);
  });

  it('refuses a module without an adapter, and a run with none of the declared providers', async () => {
    const specs = await loadAllSpecs(specsDir);
    await expect(
      judgedByClient(specs, { clientModule: resolve('fixtures/adapters/no-export-adapter.ts'), specsDir }),
    ).rejects.toThrow(/must export `adapter`/);
    const fal = specs.filter((s) => s.id.startsWith('fal-'));
    await expect(
      judgedByClient(fal, { clientModule: resolve('fixtures/consumer/my-adapter.ts'), specsDir }),
    ).rejects.toThrow(/speaks evolink-kling-v3-t2v, and this run has none of them/);
  });
});
