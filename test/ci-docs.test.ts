// docs/ci.md shows exactly the workflow files `npm run lint:workflows` checks (docs/workflows/*.yml), and its nightly
// recipes keep the history between runs.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

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

interface Step {
  uses?: string;
  with?: Record<string, string>;
}
interface Job {
  if?: string;
  steps: Step[];
}

describe("docs/ci.md's nightly recipes keep their history", () => {
  it('a new cache key per attempt, restored from the newest; jobs only where scheduled runs read the cache', () => {
    for (const f of ['nightly.yml', 'nightly-sharded.yml']) {
      const jobs = (parse(readFileSync(`docs/workflows/${f}`, 'utf8')) as { jobs: Record<string, Job> }).jobs;
      for (const [name, job] of Object.entries(jobs)) {
        // a cache key, once saved, cannot be saved again: a key without the attempt would drop a re-run's lines
        const caches = job.steps.filter((s) => s.uses?.startsWith('actions/cache/'));
        expect(caches.length, `${f} ${name}`).toBeGreaterThan(0);
        for (const c of caches)
          expect(c.with!.key).toMatch(/^kling-history-\$\{\{ github\.run_id \}\}-\$\{\{ github\.run_attempt \}\}$/);
        for (const c of caches.filter((s) => s.uses!.startsWith('actions/cache/restore')))
          expect(c.with!['restore-keys']).toBe('kling-history-');
        // a branch's cache is its own: a run elsewhere would save its spend where the scheduled nights never look
        expect(job.if, `${f} ${name}`).toContain(
          "github.event_name == 'schedule' || github.ref_name == github.event.repository.default_branch",
        );
      }
    }
  });
});
