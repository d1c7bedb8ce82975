// The good Python client on every shipped provider: each mock records a session under the documented fault plan
// (all in this process, in parallel), the client is told the provider's API from its spec alone, verify-client
// judges the real run. Nothing fails; a check whose behaviour the documents do not cover is skip with its reason.
import { describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { clientProfile, PYTHON, recordSession } from './support/client-session.ts';

describe('the good Python client on every provider', async () => {
  const specs = await loadAllSpecs();
  const sessions = Promise.all(
    specs.map(async (spec) => {
      const run = await recordSession(spec.id, 'documented', {
        command: PYTHON('good_client.py'),
        env: clientProfile(spec),
      });
      return { spec, run, results: verifyClient(spec, [run.har], true) };
    }),
  );

  it.each(specs.map((s) => s.id))(
    'passes on %s',
    async (id) => {
      const { run, results } = (await sessions).find((s) => s.spec.id === id)!;
      expect(run.code, run.output).toBe(0);
      const notPassed = results.results.filter((r) => r.status !== 'pass' && r.status !== 'skip');
      expect(notPassed, JSON.stringify(notPassed, null, 1)).toEqual([]);
      for (const r of results.results.filter((r) => r.status === 'skip')) expect(r.message, r.id).toBeTruthy();
    },
    120_000,
  );

  it('judged real work on every provider that documents a generation, and skipped what is not covered', async () => {
    for (const { spec, results } of await sessions) {
      const status = Object.fromEntries(results.results.map((r) => [r.id, r.status]));
      if (spec.x.availability.state !== 'available') continue;
      expect(status, spec.id).toMatchObject({
        'traffic.request_schema': 'pass',
        'traffic.auth_header': 'pass',
        'traffic.tasks_finished': 'pass',
        'traffic.poll_rate': 'pass',
      });
      // each documented fault was met and judged; an undocumented one is skip, saying so
      const documents429 = Boolean(spec.x.retry['429'] || spec.x.errors['429']);
      expect(status['traffic.wait_after_429'], spec.id).toBe(documents429 ? 'pass' : 'skip');
      if (!documents429)
        expect(results.results.find((r) => r.id === 'traffic.wait_after_429')?.message).toMatch(/not covered/);
      if (spec.x.retry['500'] || spec.x.errors['500'])
        expect(status['traffic.no_duplicate_after_500'], spec.id).toBe('pass');
    }
  }, 120_000);
});
