import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { twiceEncodedForms } from '../../fixtures/hostile-gateway.ts';
import { ORDINARY_TEXTS, partlyEncodedForms } from '../../fixtures/partly-encoded.ts';
import { jsonUnescaped, percentDecoded } from '../core/decoded-leaks.ts';
import { encodedForms } from '../core/redact.ts';
import type { WireExchange } from './har-entry.ts';
import { HarRecorder, journalPath } from './har-recorder.ts';
import type { HarEntry } from './har-types.ts';
import { readTraffic } from './read-traffic.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';

const KEY = 'sk-recorder-secret-4c2d1e';
const auth = { header: 'Authorization', prefix: 'Bearer ' };
const creator = { name: 'test', version: '0' };
// the recorder writes its journal in batches (every 50 ms): wait one out
const tick = () => new Promise((resolve) => setTimeout(resolve, 120));

function exchange(i: number, body = `{"prompt":"p${i}"}`): WireExchange {
  const at = performance.now();
  return {
    method: 'POST',
    url: 'http://127.0.0.1:1/v1/videos/generations',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: Buffer.from(body),
    startedAt: at,
    endedAt: at + 1,
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: `{"id":"t${i}"}` },
    note: { operation: 'create', taskId: `t${i}` },
  };
}

const tempHar = () => join(tempFolder('kc-har-'), 's.har');

describe('HarRecorder', () => {
  it('writes HAR 1.2 on close, entries in start order with their notes and monotonic times', async () => {
    const file = tempHar();
    const recorder = new HarRecorder({ file, auth, meta: { provider: 'p', target: 'mock' }, creator });
    for (let i = 0; i < 3; i++) recorder.record(exchange(i));
    await tick();
    recorder.close();
    const har = JSON.parse(readFileSync(file, 'utf8'));
    expect(har.log.version).toBe('1.2');
    expect(har.log._kc.provider).toBe('p');
    expect(har.log.entries.map((e: { _kc: { taskId: string } }) => e._kc.taskId)).toEqual(['t0', 't1', 't2']);
    const times = har.log.entries.map((e: { _kc: { monotonicMs: number } }) => e._kc.monotonicMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(recorder.har().log.entries).toHaveLength(3);
    // the journal's compact lines come back as whole HAR entries
    const [entry] = har.log.entries;
    expect(entry.startedDateTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(entry.request.headers).toContainEqual({ name: 'authorization', value: 'Bearer [REDACTED]' });
    expect(entry.request.postData).toEqual({ mimeType: 'application/json', text: '{"prompt":"p0"}' });
    expect(entry.response.content).toMatchObject({ size: 11, mimeType: 'application/json', text: '{"id":"t0"}' });
  });

  it('lists a query string, and says so when the connection was dropped without an answer', async () => {
    const recorder = new HarRecorder({ auth, meta: {}, creator });
    const { response: _none, ...dropped } = exchange(0);
    recorder.record({
      ...dropped,
      method: 'GET',
      url: 'http://127.0.0.1:1/v1/tasks?task_ids=t0&x=1',
      body: Buffer.alloc(0),
    });
    const [entry] = recorder.har().log.entries;
    expect(entry?.request.queryString).toEqual([
      { name: 'task_ids', value: 't0' },
      { name: 'x', value: '1' },
    ]);
    expect(entry?.request.postData).toBeUndefined();
    expect(entry?.response.status).toBe(0);
    expect(entry?._kc?.dropped).toBe(true);
  });

  it('never writes the key, in any encoding it may be echoed in', async () => {
    const file = tempHar();
    const recorder = new HarRecorder({ file, auth, meta: {}, creator });
    // (mixed-case hex and twice-encoded forms too)
    const forms = [...encodedForms(KEY), ...Object.values(twiceEncodedForms(KEY))];
    // twice: the second time its strings are written once on lines of their own and referred to by id
    for (let i = 0; i < 2; i++) recorder.record(exchange(0, JSON.stringify({ prompt: forms.join(' '), again: KEY })));
    await tick();
    recorder.close();
    expect(readFileSync(journalPath(file), 'utf8')).toContain('"_kc_string"');
    const text = readFileSync(file, 'utf8') + readFileSync(journalPath(file), 'utf8');
    for (const form of [KEY, ...forms]) expect(text).not.toContain(form);
    expect(text).toContain('[REDACTED]');
  });

  it('never writes a key only some of whose characters are encoded (in a URL, in a JSON body)', async () => {
    const file = tempHar();
    const recorder = new HarRecorder({ file, auth, meta: {}, creator });
    const keys = ['sk-leakTWO-zz9988aa77', 'sk-Ab+Cd/Ef==Zq9'];
    const partly = (key: string, url: string, body: string): WireExchange => ({
      ...exchange(0, body),
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
    // only the dashes percent-encoded; one character as \uXXXX and `\/` as PHP writes it
    recorder.record(partly(keys[0]!, '/v1/tasks/abc?x=1&k2=sk%2DleakTWO%2Dzz9988aa77', '{"a":"b"}'));
    recorder.record(partly(keys[1]!, '/v1/tasks/abc', '{"p":"a \\"cat\\"","k":"k=sk-Ab\\u002bCd\\/Ef==Zq9"}'));
    await tick();
    const live = recorder.har();
    recorder.close();
    const har = JSON.parse(readFileSync(file, 'utf8'));
    const text = readFileSync(file, 'utf8') + readFileSync(journalPath(file), 'utf8') + JSON.stringify(live);
    for (const key of keys) {
      const forms = [key, ...encodedForms(key), ...Object.values(twiceEncodedForms(key))];
      for (const form of forms) expect(text).not.toContain(form);
      // nor once decoded (percent, then JSON escapes twice: the journal and the HAR are JSON text)
      expect(jsonUnescaped(jsonUnescaped(percentDecoded(text)))).not.toContain(key);
    }
    // the rebuilt query string: the leaking value is gone, the rest stays; the body is still JSON
    expect(har.log.entries[0].request.queryString).toEqual([
      { name: 'x', value: '1' },
      { name: 'k2', value: '[REDACTED]' },
    ]);
    expect(JSON.parse(har.log.entries[1].request.postData.text)).toEqual({ p: 'a "cat"', k: 'k=[REDACTED]' });
  });

  // a key with a `"` has each journal line redacted whole; one without, each string of a line
  it.each(['sk-Pa/rt"ly&en c?d-0123456789abcdef', 'sk-Pa/rt ly&en c?d-0123456789abcdef'])(
    'never writes a key partly HTML / \\x / percent-encoded, a base64 of such, or 3 layers with base64: %s',
    async (key) => {
      const file = tempHar();
      const recorder = new HarRecorder({ file, auth, meta: {}, creator });
      const forms = Object.values(partlyEncodedForms(key));
      const ordinary = Object.values(ORDINARY_TEXTS);
      forms.forEach((form, i) => {
        const echo = exchange(i, `{"k":"${JSON.stringify(form).slice(1, -1)}"}`);
        recorder.record({
          ...echo,
          url: `/v1/tasks/t${i}?k=${form.replace(/[ "&?#]/g, encodeURIComponent)}`,
          headers: { authorization: `Bearer ${key}`, 'x-echo': form },
          response: { status: 400, headers: { 'content-type': 'text/html' }, body: `<p>bad key ${form}</p>` },
        });
      });
      // ordinary bodies (no key in them) are recorded as they came
      ordinary.forEach((text, i) => {
        recorder.record({ ...exchange(100 + i), response: { status: 200, headers: {}, body: text } });
      });
      await tick();
      const live = recorder.har();
      recorder.close();
      const text = readFileSync(file, 'utf8') + readFileSync(journalPath(file), 'utf8') + JSON.stringify(live);
      for (const form of forms) {
        const json = JSON.stringify(form).slice(1, -1);
        for (const spelling of [form, json, JSON.stringify(json).slice(1, -1)])
          expect(text).not.toContain(spelling.slice(6, -6));
      }
      const entries: HarEntry[] = JSON.parse(readFileSync(file, 'utf8')).log.entries;
      expect(entries.slice(forms.length).map((e) => e.response.content.text)).toEqual(ordinary);
    },
  );

  it('a journal a killed writer left is read whole but for its torn last line', async () => {
    const file = tempHar();
    const recorder = new HarRecorder({ file, auth, meta: {}, creator });
    recorder.record(exchange(0));
    recorder.record(exchange(1));
    await tick();
    // (what GET /__mock/har answers writes what is pending: the batch is on disk whatever the machine's load)
    expect(recorder.har().log.entries).toHaveLength(2);
    // the process dies mid-write: the last line is cut short, and close() never runs
    appendFileSync(journalPath(file), '{"startedDateTime":"2026-');
    const traffic = readTraffic([file], auth);
    expect(traffic.exchanges).toHaveLength(2);
    expect(traffic.meta[0]?.tornTail).toBe(true);
  });

  it('stays within its byte bound on disk and says how much it dropped', async () => {
    const file = tempHar();
    const recorder = new HarRecorder({ file, auth, meta: {}, creator, maxBytes: 4000, maxEntries: 5 });
    for (let i = 0; i < 50; i++) recorder.record(exchange(i));
    await tick();
    expect(statSync(journalPath(file)).size).toBeLessThan(4200);
    expect(recorder.har().log.entries.length).toBeLessThanOrEqual(5);
    recorder.close();
    const har = JSON.parse(readFileSync(file, 'utf8'));
    expect(har.log._kc.dropped).toBeGreaterThan(0);
    expect(har.log.entries.length).toBeLessThan(50);
  });

  it('writes a header set or recurring string once, read back into each entry using it, per credential', async () => {
    const file = tempHar();
    const onDisk = new HarRecorder({ file, auth, meta: {}, creator });
    const inMemory = new HarRecorder({ auth, meta: {}, creator });
    const other = 'sk-another-secret-9f8e7d';
    // the same header values sent with two credentials: every credential the recorder saw is redacted in every line
    const echoing = (credential: string, echo: string): WireExchange => ({
      ...exchange(0),
      headers: { authorization: `Bearer ${credential}`, 'x-echo': echo },
    });
    const sent = [
      exchange(0),
      exchange(1),
      echoing(KEY, other),
      echoing(KEY, 'plain'),
      echoing(other, other),
      exchange(2),
    ];
    for (const x of sent) for (const recorder of [onDisk, inMemory]) recorder.record(x);
    await tick();
    // har() flushes the pending batch first (the flush timer alone can come late under load)
    const entries = onDisk.har().log.entries;
    const journal = readFileSync(journalPath(file), 'utf8');
    // KEY: request and answer headers, two echoing requests; the other credential: its echoing request and the answer
    expect(journal.match(/"_kc_headers"/g)).toHaveLength(6);
    // strings that recur (the URL, the method, the answer's body for t0…) are defined once and referred to by id
    expect(journal).toMatch(/\{"_kc_string":\d+,"v":"http:\/\/127.0.0.1:1\/v1\/videos\/generations"\}/);
    expect(journal).toMatch(/"url":\d+,/);
    const strip = (e: HarEntry) => ({ ...e, startedDateTime: '', _kc: undefined });
    expect(entries.map(strip)).toEqual(inMemory.har().log.entries.map(strip));
    const echo = (i: number) => entries[i]?.request.headers.find((h) => h.name === 'x-echo')?.value;
    expect([echo(2), echo(3), echo(4)]).toEqual(['[REDACTED]', 'plain', '[REDACTED]']);
    onDisk.close();
  });
});
