// NEWCOMER #8: a verify-client report is headed with the traffic's own time range (its first request's start to its
// last answer's end, from the HAR's startedDateTime + time) and says apart when it was judged; a recording has no
// seed, so results.json holds none and no header says "seed 0". drift --between reads such a results.json.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportRunChanges } from '../src/cli/commands/drift-between-action.ts';
import { createAjv } from '../src/core/ajv.ts';
import { writeReport } from '../src/report/write-report.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { tempFolder } from './support/temp-folder.ts';

const require = createRequire(import.meta.url);
const resultsSchema = require('../src/report/results.schema.json') as object;

/** mitmproxy's export: its first request starts 10:00:00.000, its last (a download) at 10:00:02.700 and takes 12 ms */
const HAR = 'fixtures/clients/har/mitmproxy-trimmed.har';
const FIRST_START = '2026-11-30T10:00:00.000Z';
const LAST_ANSWER = '2026-11-30T10:00:02.712Z';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('verify-client: the report says when the traffic happened, and when it was judged', () => {
  it('results.json: startedAt → endedAt is the traffic, judgedAt the judging, and there is no seed', async () => {
    const before = Date.now();
    const results = verifyClient(await loadSpecById('toapis-kling-3.0-turbo'), [HAR], false);
    expect(results.run.startedAt).toBe(FIRST_START);
    expect(results.run.endedAt).toBe(LAST_ANSWER);
    expect(Date.parse(results.run.judgedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect('seed' in results.run).toBe(false);
    expect(createAjv().compile(resultsSchema)(results)).toBe(true);
  });

  it('summary.md and report.html: the traffic range, then judged at; never a seed', async () => {
    const results = verifyClient(await loadSpecById('toapis-kling-3.0-turbo'), [HAR], false);
    const dir = tempFolder('kc-verify-header-');
    writeReport(dir, results);
    const range = `traffic ${FIRST_START} → ${LAST_ANSWER} · judged ${results.run.judgedAt}`;
    for (const file of ['summary.md', 'report.html']) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).toContain(range);
      expect(text, file).not.toMatch(/\bseed \d/);
    }
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).run).not.toHaveProperty('seed');
  });

  it('drift --between reads two verify-client results.json without a seed', async () => {
    const spec = await loadSpecById('toapis-kling-3.0-turbo');
    const [a, b] = [tempFolder('kc-verify-between-'), tempFolder('kc-verify-between-')];
    writeReport(a, verifyClient(spec, [HAR], false));
    writeReport(b, verifyClient(spec, [HAR], false));
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void out.push(text));
    const code = await reportRunChanges(undefined, { between: [a, join(b, 'results.json')], format: 'markdown' });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain(`started ${FIRST_START}`);
  });
});
