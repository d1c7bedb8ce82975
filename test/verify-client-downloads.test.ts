// NEWCOMER-7 F8: a client that fetches its result links bare (no key, no x-client-id, as a signed link allows and most
// HTTP clients do) on a recorded mock session: the downloads are judged as that client's traffic and named as it, not
// as a client "anonymous" of their own; the header counts checks and providers in the right number; a session under
// the documented plan skips the 400 rule, naming the plan file that brings one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Har } from '../src/har/har-types.ts';
import { writeReport } from '../src/report/write-report.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { PYTHON, recordSession } from './support/client-session.ts';
import { tempFolder } from './support/temp-folder.ts';

const EVOLINK = 'evolink-kling-v3-t2v';

describe('verify-client on a client that fetches result links without its key', () => {
  let har: string;
  let results: ReturnType<typeof verifyClient>;
  beforeAll(async () => {
    const run = await recordSession(EVOLINK, 'documented', {
      command: PYTHON('bare_download_client.py'),
      env: { KC_JOBS: '5' },
    });
    expect(run.code, run.output).toBe(0);
    har = run.har;
    results = verifyClient(await loadSpecById(EVOLINK), [har], true);
  }, 120_000);

  it('recorded the downloads bare: no auth header, no x-client-id', () => {
    const downloads = (JSON.parse(readFileSync(har, 'utf8')) as Har).log.entries.filter(
      (e) => e._kc?.operation === 'download',
    );
    expect(downloads.length).toBeGreaterThanOrEqual(2);
    for (const d of downloads)
      expect(d.request.headers.map((h) => h.name.toLowerCase())).not.toContain('authorization');
  });

  it("judges the downloads as the client's own traffic, naming one client", () => {
    const subject = results.run.subject;
    expect(subject?.kind === 'verify-client' && subject.clients).toEqual([expect.stringMatching(/^key-[0-9a-f]{12}$/)]);
    const expired = results.results.find((r) => r.id === 'traffic.expired_link')!;
    expect(expired.status, expired.message).toBe('pass');
    expect(expired.message).toMatch(/^\d+ result fetch\(es\)/);
    const dir = tempFolder('kc-bare-download-');
    writeReport(dir, results);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).not.toContain('anonymous');
    expect(summary).toContain(`Every check (${results.results.length} checks × 1 provider)`);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).not.toContain('1 providers');
  });

  it('skips the 400 rule under the documented plan, naming the plan file that brings a 400', () => {
    const rule = results.results.find((r) => r.id === 'traffic.no_retry_after_4xx')!;
    expect(rule.status).toBe('skip');
    expect(rule.message).toMatch(/no named plan .* answers 400/);
    expect(rule.message).toContain('fixtures/clients/plans/create-400.yaml');
    expect(rule.message).toContain('step: "400"');
  });
});
