import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { registerSecret } from '../core/redact.ts';
import type { WireExchange } from './har-entry.ts';
import { HarRecorder, journalPath } from './har-recorder.ts';
import type { HarEntry } from './har-types.ts';
import { harFromJournal } from './read-journal.ts';

const auth = { header: 'Authorization', prefix: 'Bearer ' };
const creator = { name: 'test', version: '0' };
const answer = '{"id":"task-1","status":"processing","progress":40}';

/** a poll of task-1 as the mock's adapter reports it: fresh objects each time, as from the wire */
function poll(at: number, change: Partial<WireExchange> = {}): WireExchange {
  return {
    method: 'GET',
    url: 'http://127.0.0.1:1/v1/tasks/task-1',
    headers: { authorization: 'Bearer sk-repeat-key-0a1b2c', 'user-agent': 'poller/1' },
    body: Buffer.alloc(0),
    startedAt: at,
    endedAt: at + 0.25,
    response: { status: 200, headers: { 'content-type': 'application/json' }, body: `${answer}` },
    note: { operation: 'poll', taskId: 'task-1', step: 'processing' },
    ...change,
  };
}

/** records `sent` with a journal file and in memory (every entry a line of its own); the entries of each */
function recordBoth(sent: WireExchange[]): { disk: HarEntry[]; memory: HarEntry[]; journal: string } {
  const file = join(tempFolder('kc-repeat-'), 's.har');
  const onDisk = new HarRecorder({ file, auth, meta: {}, creator });
  const inMemory = new HarRecorder({ auth, meta: {}, creator });
  for (const x of sent) {
    onDisk.record(x);
    inMemory.record(x);
  }
  const disk = onDisk.har().log.entries;
  const journal = readFileSync(journalPath(file), 'utf8');
  onDisk.close();
  return { disk, memory: inMemory.har().log.entries, journal };
}

// the wall-clock date and monotonic start count from each recorder's own start: compare the rest
const strip = (e: HarEntry) => ({ ...e, startedDateTime: '', _kc: { ...e._kc, monotonicMs: 0 } });
/** each entry's start after the first's */
const offsets = (entries: HarEntry[]) => entries.map((e) => e._kc!.monotonicMs - entries[0]!._kc!.monotonicMs);

describe('a journal writes an exchange repeating the one before as a repeat', () => {
  it('one line for a run of unchanged polls, read back into the very entries a line each would make', () => {
    const sent = [0, 1, 2, 3, 4].map((i) => poll(1000 + i * 3));
    const { disk, memory, journal } = recordBoth(sent);
    expect(journal.match(/"_kc_again"/g)).toHaveLength(1);
    expect(journal.match(/"kc":/g)).toHaveLength(1);
    expect(disk.map((e) => e._kc?.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(disk.map(strip)).toEqual(memory.map(strip));
    expect(offsets(disk)).toEqual([0, 3, 6, 9, 12]);
    expect(disk.map((e) => e.time)).toEqual([0.25, 0.25, 0.25, 0.25, 0.25]);
  });

  it('ends the run at any difference: body, status, header value or order, note, a dropped answer', () => {
    const base = poll(0);
    const variants: WireExchange[] = [
      poll(1, { response: { ...base.response!, body: answer.replace('40', '41') } }),
      poll(2, { response: { ...base.response!, status: 429 } }),
      poll(3, { headers: { authorization: 'Bearer sk-repeat-key-0a1b2c', 'user-agent': 'poller/2' } }),
      poll(4, { headers: { 'user-agent': 'poller/1', authorization: 'Bearer sk-repeat-key-0a1b2c' } }),
      poll(5, { note: { operation: 'poll', taskId: 'task-1', step: 'completed' } }),
      poll(6, { url: 'http://127.0.0.1:1/v1/tasks/task-1?x=1' }),
      poll(7, { response: undefined }),
      poll(8, { body: Buffer.from('{}') }),
      poll(9, { response: { ...base.response!, comment: 'answered by the proxy as it stopped' } }),
    ];
    // each variant after a plain poll: none may pass for a repeat of it
    const sent = variants.flatMap((v) => [poll(v.startedAt - 0.5), v]);
    // nor a plain poll after one whose headers held a list (the journal writes the list; a plain poll has none)
    const listed = {
      authorization: 'Bearer sk-repeat-key-0a1b2c',
      'user-agent': 'poller/1',
      'x-forwarded-for': ['a', 'b'],
    };
    sent.push(poll(20, { headers: listed }), poll(21));
    const { disk, memory, journal } = recordBoth(sent);
    expect(journal).not.toContain('_kc_again');
    expect(disk.map(strip)).toEqual(memory.map(strip));
  });

  it('a run after a change is matched against the entry that changed, not the one before it', () => {
    // a create (its note new each time) between two runs: the second run repeats the second poll's headers
    const create = (at: number, id: string) =>
      poll(at, { method: 'POST', note: { operation: 'create', taskId: id }, url: 'http://127.0.0.1:1/v1/videos' });
    const other = { authorization: 'Bearer sk-repeat-key-0a1b2c', 'user-agent': 'poller/2' };
    const sent = [
      poll(0),
      poll(1),
      create(2, 't-2'),
      create(3, 't-3'),
      poll(4, { headers: other }),
      poll(5, { headers: other }),
    ];
    sent.push(poll(6));
    const { disk, memory, journal } = recordBoth(sent);
    expect(journal.match(/"_kc_again"/g)).toHaveLength(2);
    expect(journal.match(/"kc":/g)).toHaveLength(5);
    expect(disk.map(strip)).toEqual(memory.map(strip));
  });

  it('a secret registered during a run ends it: the repeats are written under the new redaction', () => {
    const secret = 'sk-registered-mid-run-77aa';
    const echoing = (at: number) => poll(at, { response: { ...poll(0).response!, body: `{"echo":"${secret}"}` } });
    const file = join(tempFolder('kc-repeat-'), 's.har');
    const recorder = new HarRecorder({ file, auth, meta: {}, creator });
    recorder.record(echoing(0));
    recorder.record(echoing(1));
    recorder.har();
    registerSecret(secret);
    recorder.record(echoing(2));
    const bodies = recorder.har().log.entries.map((e) => e.response.content.text);
    recorder.close();
    expect(bodies).toHaveLength(3);
    // the first two were written before the secret was known; the third (a repeat but for that) is redacted
    expect(bodies[2]).not.toContain(secret);
    expect(readFileSync(journalPath(file), 'utf8').match(/"_kc_again"/g)).toHaveLength(1);
  });

  it('a repeat line with no entry before it is not our journal', () => {
    expect(() => harFromJournal('{"_kc_log":{}}\n{"_kc_again":[1,2]}\n')).toThrow(/no entry comes before it/);
    expect(() =>
      harFromJournal(
        '{"_kc_log":{}}\n{"kc":{"seq":1,"monotonicMs":0,"client":"c"},"time":0,' +
          '"method":"GET","url":"/","headers":{},"bodySize":0,"status":200,"resSize":0}\n{"_kc_again":[1]}\n',
      ),
    ).toThrow(/pairs of numbers/);
  });
});
