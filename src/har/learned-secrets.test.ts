import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodedForms } from '../core/redact.ts';
import type { WireExchange } from './har-entry.ts';
import { HarRecorder, journalPath } from './har-recorder.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';

const auth = { header: 'Authorization', prefix: 'Bearer ' };
const creator = { name: 'test', version: '0' };
const meta = { provider: 'p', target: 'mock' as const };
// the recorder writes its journal in batches (every 50 ms): wait one out
const tick = () => new Promise((resolve) => setTimeout(resolve, 120));

/** A request carrying `key` in an extra header (as `run -H "X-Extra: $KEY"` sends it), `authorization` as its auth. */
function exchange(key: string, authorization?: string): WireExchange {
  const at = performance.now();
  return {
    method: 'GET',
    url: 'http://127.0.0.1:1/v1/tasks/t1',
    headers: { 'x-extra': key, ...(authorization ? { authorization } : {}) },
    body: Buffer.alloc(0),
    startedAt: at,
    endedAt: at + 1,
    response: { status: authorization ? 200 : 401, headers: {}, body: '{}' },
  };
}

function expectNoForm(text: string, key: string): void {
  for (const form of [key, ...encodedForms(key)]) expect(text).not.toContain(form);
}

describe('HarRecorder: a key learned from any request is cut from every line', () => {
  it('from the lines of requests that carried it only in another header, before and after it was learned', async () => {
    const key = 'sk-learned-later-0f3b8a2c9d71e6';
    const file = join(tempFolder('kc-har-'), 's.har');
    const recorder = new HarRecorder({ file, auth, meta, creator });
    // an auth check's request (no key as its credential) in a batch already written, one in the batch still pending
    recorder.record(exchange(key));
    await tick();
    recorder.record(exchange(key, 'Bearer kc-invalid-key-1'));
    // journalled in its own turn, its line not yet written when the next request teaches the key
    await new Promise((resolve) => setImmediate(resolve));
    recorder.record(exchange(key, `Bearer ${key}`));
    await tick();
    // after it was learned: written redacted at once (no memoized literal or repeat of the line before reused)
    recorder.record(exchange(key));
    recorder.record(exchange(key));
    await tick();
    const lines = readFileSync(journalPath(file), 'utf8').split('\n');
    // only the line written before the key was ever seen may hold it while recording …
    expect(lines.filter((l) => l.includes(key))).toHaveLength(1);
    expectNoForm(JSON.stringify(recorder.har()), key);
    recorder.close();
    // … and none once the recording is closed
    expectNoForm(readFileSync(journalPath(file), 'utf8'), key);
    expectNoForm(readFileSync(file, 'utf8'), key);
  });

  it('without a journal file (GET /__mock/har), and a --valid-key from the first line on', async () => {
    const key = 'sk-learned-memory-5e1c07ab42d9';
    const recorder = new HarRecorder({ auth, meta, creator });
    recorder.record(exchange(key));
    await tick();
    recorder.record(exchange(key, `Bearer ${key}`));
    await tick();
    expectNoForm(JSON.stringify(recorder.har()), key);
    const valid = 'sk-valid-key-flag-93ad0c5b7e21';
    const file = join(tempFolder('kc-har-'), 's.har');
    const flagged = new HarRecorder({ file, auth, meta, creator, secrets: [valid] });
    flagged.record(exchange(valid));
    await tick();
    expectNoForm(readFileSync(journalPath(file), 'utf8'), valid);
    flagged.close();
  });
});
