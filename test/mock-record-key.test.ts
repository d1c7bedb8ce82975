// finding 1 of NEWCOMER-6: a live-style run against a recording mock, sending the key in an -H header on every
// request; the auth checks' requests (no key or a wrong one as credential) must not hold it in the record either.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { twiceEncodedForms } from '../fixtures/hostile-gateway.ts';
import { encodedForms } from '../src/core/redact.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import { startMocks, stopMocks } from '../src/mock/start-mocks.ts';
import { liveRunArgs, runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-newcomer-ABCDEF0123456789abcdef0123456789';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('mock --record of a live run sending the key in an -H header', () => {
  it('holds no form of the key in the HAR, its journal or the run reports', async () => {
    const dir = tempFolder('kc-record-key-');
    const file = join(dir, 'live.har');
    const [mock] = await startMocks([await loadSpecById('evolink-kling-v3-t2v')], { record: { file } });
    const r = await runCli(
      [
        ...liveRunArgs('evolink-kling-v3-t2v', mock!.url, 'KC_NC_KEY'),
        '--family',
        'auth',
        '--report-dir',
        join(dir, 'rep'),
        '--history',
        join(dir, 'history.jsonl'),
        '--timeout',
        '90',
        '-H',
        `X-Extra: ${KEY}`,
      ],
      { env: { KC_NC_KEY: KEY }, timeoutMs: 120_000 },
    );
    const journal = readFileSync(`${file}.jsonl`, 'utf8');
    await stopMocks([mock!]);
    // the auth checks sent requests without the key as their credential: they are in the record
    expect(journal).toMatch(/"status":401/);
    const forms = [KEY, ...encodedForms(KEY), ...Object.values(twiceEncodedForms(KEY))];
    const texts = [r.stdout, r.stderr, ...filesUnder(dir).map((f) => readFileSync(f, 'utf8'))];
    expect(filesUnder(dir)).toContain(file);
    for (const text of texts) for (const form of forms) expect(text.toLowerCase()).not.toContain(form.toLowerCase());
  }, 150_000);
});
