import { describe, expect, it } from 'vitest';
import { harFromJournal } from './read-journal.ts';

const head = '{"_kc_log":{"creator":{"name":"t","version":"0"},"epochMs":0}}';
const entry = (seq: number, url: string | number, resBody: string | number) =>
  `{"kc":{"seq":${seq},"monotonicMs":${seq},"client":1,"taskId":"t"},"time":1,"method":"GET","url":${url},` +
  `"headers":1,"bodySize":0,"status":200,"resHeaders":1,"resBody":${resBody},"resSize":2}`;

describe('harFromJournal', () => {
  it('puts each string and header set a line refers to by id back in its entry', () => {
    const journal = [
      head,
      '{"_kc_headers":1,"set":{"content-type":"application/json"}}',
      '{"_kc_string":1,"v":"key-0a1b"}',
      entry(1, '"http://h/v1/tasks/t"', '"{}"'),
      '{"_kc_string":2,"v":"http://h/v1/tasks/t"}',
      entry(2, 2, '"{}"'),
    ].join('\n');
    const [first, second] = harFromJournal(journal).log.entries;
    expect(second).toEqual({
      ...first,
      startedDateTime: second?.startedDateTime,
      _kc: { ...first?._kc, seq: 2, monotonicMs: 2 },
    });
    expect(second?._kc?.client).toBe('key-0a1b');
    expect(second?.request.url).toBe('http://h/v1/tasks/t');
    expect(second?.response.headers).toEqual([{ name: 'content-type', value: 'application/json' }]);
  });

  it('refuses a line that refers to a string no line defined before it (not our journal)', () => {
    const journal = [head, '{"_kc_headers":1,"set":{}}', '{"_kc_string":1,"v":"c"}', entry(1, 7, '"{}"'), ''].join(
      '\n',
    );
    expect(() => harFromJournal(journal)).toThrow('string 7 is not defined before its use');
  });
});
