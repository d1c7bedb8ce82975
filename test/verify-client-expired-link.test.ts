// The documented plan's link-expired fault on a recorded mock session (NEWCOMER-6 finding 4): the link states an
// honest expiry (after the task ended, the documented life) and answers expired when fetched anyway. A client that
// fetches it once and stops after the 403 passes traffic.expired_link; one that fetches the dead link again warns: no
// document states what an expired link answers (the 403 is our reading), so it fails only with --strict (#9).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Har } from '../src/har/har-types.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { clientProfile, PYTHON, recordSession } from './support/client-session.ts';

const PROVIDERS = ['toapis-kling-3.0-turbo', 'evolink-kling-v3-t2v'];
const CLIENTS = { once: 'good_client.py', again: 'refetch_expired_client.py' } as const;

async function judged(provider: string, script: string) {
  const spec = await loadSpecById(provider);
  const run = await recordSession(provider, 'documented', {
    command: PYTHON(script),
    env: { ...clientProfile(spec), KC_JOBS: '5' },
  });
  const entries = (JSON.parse(readFileSync(run.har, 'utf8')) as Har).log.entries;
  const of = (strict: boolean) =>
    verifyClient(spec, [run.har], strict).results.find((r) => r.id === 'traffic.expired_link')!;
  return { run, entries, result: of(false), strict: of(true) };
}

describe('traffic.expired_link on the link-expired fault of a recorded session', () => {
  const sessions = Promise.all(
    PROVIDERS.flatMap((p) =>
      Object.values(CLIENTS).map(async (script) => ({ p, script, ...(await judged(p, script)) })),
    ),
  );
  const of = async (p: string, script: string) => (await sessions).find((s) => s.p === p && s.script === script)!;

  it.each(PROVIDERS)(
    'on %s, the faulted link states an expiry after its task ended and answers 403',
    async (p) => {
      const { run, entries } = await of(p, CLIENTS.once);
      expect(run.code, run.output).toBe(0);
      const fetches = entries.filter((e) => e.request.url.includes('/__mock/videos/'));
      expect(fetches.map((e) => e.response.status)).toContain(403);
      for (const e of entries) {
        const text = e.response.content.text ?? '';
        const expires = /"expires_at":\s*(\d+)/.exec(text);
        const completed = /"completed_at":\s*(\d+)/.exec(text);
        if (expires && completed) expect(Number(expires[1])).toBeGreaterThan(Number(completed[1]));
      }
    },
    120_000,
  );

  it.each(PROVIDERS)(
    'on %s, passes a client that fetches once and stops after the 403',
    async (p) => {
      const { result, run } = await of(p, CLIENTS.once);
      expect(result.status, `${run.output}\n${JSON.stringify(result)}`).toBe('pass');
    },
    120_000,
  );

  it.each(PROVIDERS)(
    'on %s, warns on a client that fetches the dead link again (our reading of the 403), fails it with --strict',
    async (p) => {
      const { result, strict, run } = await of(p, CLIENTS.again);
      expect(result.status, run.output).toBe('warn');
      expect(result.findings?.map((f) => f.message).join('\n')).toMatch(/fetches a link again after it answered 403/);
      expect(result.findings?.every((f) => f.inferred === true)).toBe(true);
      expect(strict.status, run.output).toBe('fail');
    },
    120_000,
  );
});

// NEWCOMER-6 finding 9: a verdict is as sure as the source it prints. EvoLink's only source for "no second create
// after a 500" is another product's error page (inferred), so re-creating warns without --strict.
describe('traffic.no_duplicate_after_500 follows the confidence of the source it prints', () => {
  it('warns (inferred finding) on EvoLink, whose source is inferred, and fails under --strict', async () => {
    const spec = await loadSpecById('evolink-kling-v3-t2v');
    const run = await recordSession(spec.id, 'documented', { command: PYTHON('recreate_500_client.py') });
    const of = (strict: boolean) =>
      verifyClient(spec, [run.har], strict).results.find((r) => r.id === 'traffic.no_duplicate_after_500')!;
    const lenient = of(false);
    expect(lenient.status, run.output).toBe('warn');
    expect(lenient.findings?.every((f) => f.inferred === true)).toBe(true);
    expect(of(true).status).toBe('fail');
  }, 120_000);
});
