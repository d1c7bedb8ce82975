// docs/ci.md shows exactly the workflow files `npm run lint:workflows` checks (docs/workflows/*.yml).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('docs/ci.md', () => {
  it('embeds every linted workflow verbatim', () => {
    const doc = readFileSync('docs/ci.md', 'utf8');
    const files = readdirSync('docs/workflows').filter((f) => f.endsWith('.yml'));
    expect(files.sort()).toEqual(['nightly-sharded.yml', 'nightly.yml', 'pr-gate.yml']);
    for (const f of files) expect(doc, f).toContain(readFileSync(`docs/workflows/${f}`, 'utf8').trimEnd());
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const f of files) expect(scripts['lint:workflows']).toContain(`docs/workflows/${f}`);
    // npm test runs test:static beside vitest (scripts/run-tests.mjs)
    expect(scripts['test:static']).toContain('npm run lint:workflows');
    expect(readFileSync('scripts/run-tests.mjs', 'utf8')).toContain('npm run test:static');
  });
});
