// The parse cache gives back exactly what the text parsed to, only for that text, and a broken entry is a miss.
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec } from './load-spec.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';

describe('the parse cache', () => {
  const cwd = process.cwd();
  const specs = join(cwd, 'specs');
  afterAll(() => process.chdir(cwd));

  it('gives a warm load the cold load’s data, misses on any edit, and ignores a broken entry', async () => {
    const project = tempFolder('kc-parse-cache-');
    mkdirSync(join(project, 'node_modules'));
    const dir = join(project, 'evolink-kling-v3-t2v');
    cpSync(join(specs, 'evolink-kling-v3-t2v'), dir, { recursive: true });
    // a text no other test loaded: this process may already have validated the shipped one (unit files share a worker)
    appendFileSync(join(dir, 'openapi.yaml'), `# parse-cache test ${process.pid}-${Date.now()}\n`);
    process.chdir(project);
    const cold = await loadSpec(dir);
    const cache = join(project, 'node_modules/.cache/kling-conformance');
    const entries = readdirSync(cache).filter((f) => f.endsWith('.json'));
    expect(entries).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(cache, entries[0]!), 'utf8'))).toMatchObject({ validated: true });
    const warm = await loadSpec(dir);
    expect(warm.raw).toEqual(cold.raw);
    expect(warm.x).toEqual(cold.x);
    // an edit is another text: parsed (and validated) afresh — here an invalid one, which the cache must not hide
    const file = join(dir, 'openapi.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('prefix: "Bearer "', 'prefix: 7'));
    await expect(loadSpec(dir)).rejects.toThrow(/x-conformance\/auth\/prefix/);
    // a torn or foreign entry is a miss, not a crash
    writeFileSync(file, readFileSync(join(specs, 'evolink-kling-v3-t2v/openapi.yaml'), 'utf8'));
    writeFileSync(join(cache, entries[0]!), '{"data": [1, 2');
    expect((await loadSpec(dir)).raw).toEqual(cold.raw);
  });
});
