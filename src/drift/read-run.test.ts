import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { readRun } from './read-run.ts';

function failure(path: string): HarnessError {
  try {
    readRun(path);
  } catch (err) {
    return err as HarnessError;
  }
  throw new Error(`${path} was read`);
}

const good = {
  tool: { name: 'kling-conformance', version: '1' },
  run: { id: 'r', target: 'mock', startedAt: 't', providers: [{ id: 'p', baseUrl: 'u' }] },
  results: [{ provider: 'p', id: 'defaults.duration', status: 'pass' }],
};

describe('drift --between reads a run: a results.json or its report folder; anything else is exit 2 with where', () => {
  const dir = tempFolder('kc-read-run-');
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reads a results.json, and a report folder by its results.json', () => {
    const file = write('results.json', JSON.stringify(good));
    expect(readRun(file).results.run.id).toBe('r');
    expect(readRun(dir).file).toBe(file);
  });

  it('names the file, the JSON pointer and the fix of each bad input, with the stable code INPUT', () => {
    const cases: [string, string, RegExp][] = [
      [join(dir, 'nope.json'), '', /there is no/],
      [write('cut.json', JSON.stringify(good).slice(0, 40)), '', /is not JSON/],
      [write('history.jsonl', '{"id":1}\n{"id":2}\n'), '', /looks like a history\.jsonl/],
      [write('har.json', JSON.stringify({ log: { entries: [] } })), '/tool/name', /is a HAR recording/],
      [
        write('drift.json', JSON.stringify({ kind: 'observed', providers: [], items: [] })),
        '/tool/name',
        /drift report/,
      ],
      [write('norun.json', JSON.stringify({ ...good, run: undefined })), '/run', /no run record/],
      [
        write('noproviders.json', JSON.stringify({ ...good, run: { ...good.run, providers: 3 } })),
        '/run/providers',
        /not an array/,
      ],
      [
        write('badresult.json', JSON.stringify({ ...good, results: [{ provider: 'p', id: 'x' }] })),
        '/results/0/status',
        /no status/,
      ],
    ];
    for (const [path, pointer, message] of cases) {
      const err = failure(path);
      expect(err, path).toBeInstanceOf(HarnessError);
      expect(err.code).toBe('INPUT');
      expect(err.file).toBe(path);
      expect(err.pointer, path).toBe(pointer || undefined);
      expect(err.message).toMatch(message);
      expect(err.fix).toContain('results.json');
    }
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(failure(empty).message).toContain('no results.json');
  });
});
