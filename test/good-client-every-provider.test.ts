// The good clients in Python, shell (curl) and TypeScript (real sleeps) on every shipped provider and the unlike
// gateway: each session is a mock recording under the documented fault plan, all of them in this process at once;
// each client is told the provider's API from its spec alone, and verify-client --strict judges the real run.
// Nothing fails; each documented fault was met and judged; a check the documents do not cover is skip with its reason.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { documentedPlan, type FaultPlan } from '../src/faults/fault-plan.ts';
import type { Har } from '../src/har/har-types.ts';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { clientProfile, GOOD_CLIENTS, recordSession } from './support/client-session.ts';

/** The check that judges what a client did when it met each fault of the documented plan. */
const JUDGED_BY: Record<string, string> = {
  'create-429': 'traffic.wait_after_429',
  'poll-429': 'traffic.wait_after_429',
  'poll-429-backoff-1': 'traffic.backoff_jitter',
  'poll-429-backoff-2': 'traffic.backoff_jitter',
  'create-500-committed': 'traffic.no_duplicate_after_500',
  'task-fails': 'traffic.tasks_finished',
  'link-expired': 'traffic.expired_link',
};

/** How many jobs, one after another, meet every create fault of a plan (a rate-limited create is sent twice). */
function jobsToMeet(plan: FaultPlan): number {
  const creates = plan.faults.filter((f) => f.operation === 'create');
  const retried = creates.filter((f) => f.step.startsWith('429')).length;
  return Math.max(1, ...creates.map((f) => f.at)) - retried;
}

/** The ids of the faults the mock injected in a recorded session. */
function faultsMet(har: string): Set<string> {
  const entries = (JSON.parse(readFileSync(har, 'utf8')) as Har).log.entries;
  return new Set(entries.flatMap((e) => (e._kc?.fault ? [e._kc.fault] : [])));
}

describe('the good clients in three languages on every provider', async () => {
  const specs = await loadAllSpecs();
  const languages = Object.keys(GOOD_CLIENTS) as (keyof typeof GOOD_CLIENTS)[];
  const pairs = specs.flatMap((spec) => languages.map((language) => ({ spec, language })));
  // all sessions record at once, and are judged when all have ended (judging blocks the event loop the mocks time
  // requests on)
  const recorded = Promise.all(
    pairs.map(async ({ spec, language }) => {
      const plan = documentedPlan(spec, 1);
      const run = await recordSession(spec.id, 'documented', {
        command: GOOD_CLIENTS[language].command,
        env: { ...clientProfile(spec), KC_JOBS: String(jobsToMeet(plan)), ...GOOD_CLIENTS[language].env },
      });
      return { spec, language, run, plan };
    }),
  );
  const sessions = recorded.then((runs) =>
    runs.map((s) => ({ ...s, met: faultsMet(s.run.har), results: verifyClient(s.spec, [s.run.har], true) })),
  );
  const sessionOf = async (id: string, language: string) =>
    (await sessions).find((s) => s.spec.id === id && s.language === language)!;

  it.each(pairs.map(({ spec, language }) => [spec.id, language]))(
    'passes on %s (%s)',
    async (id, language) => {
      const { run, results } = await sessionOf(id, language);
      expect(run.code, run.output).toBe(0);
      const notPassed = results.results.filter((r) => r.status !== 'pass' && r.status !== 'skip');
      expect(notPassed, `${run.output}\n${JSON.stringify(notPassed, null, 1)}`).toEqual([]);
      for (const r of results.results.filter((r) => r.status === 'skip')) expect(r.message, r.id).toBeTruthy();
    },
    120_000,
  );

  it('judged real work on every provider that documents a generation, and skipped what is not covered', async () => {
    for (const { spec, language, results, plan, met } of await sessions) {
      const where = `${spec.id} (${language})`;
      const status = Object.fromEntries(results.results.map((r) => [r.id, r.status]));
      if (spec.x.availability.state !== 'available') continue;
      expect(status, where).toMatchObject({
        'traffic.request_schema': 'pass',
        'traffic.auth_header': 'pass',
        'traffic.tasks_finished': 'pass',
        'traffic.poll_rate': 'pass',
      });
      // each documented fault was met, and the check that judges it passed
      expect([...met].sort(), where).toEqual(plan.faults.map((f) => f.id).sort());
      for (const fault of plan.faults) expect(status[JUDGED_BY[fault.id]!], `${where} ${fault.id}`).toBe('pass');
      // an undocumented fault is not injected: its check is skip, saying so
      if (!spec.x.retry['429'] && !spec.x.errors['429']) {
        expect(status['traffic.wait_after_429'], where).toBe('skip');
        expect(results.results.find((r) => r.id === 'traffic.wait_after_429')?.message).toMatch(/not covered/);
      }
    }
  }, 120_000);
});
