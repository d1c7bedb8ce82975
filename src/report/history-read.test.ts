// A history line that cannot be read (torn by a run killed inside its append, or edited) is named by its number and
// refused where it would plan spend: the run it hides would vanish from the monthly cap and the bank.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { assertHistoryReadable, readHistory } from './history-line.ts';

const line = (id: string) => JSON.stringify({ id, startedAt: '2026-12-01T02:00:00.000Z', target: 'live' });

describe('reading a history', () => {
  it('names each unreadable line by its number (blank lines count), a torn last one too', () => {
    const file = join(tempFolder('kc-hist-read-'), 'history.jsonl');
    writeFileSync(file, `${line('a')}\n{"id":"b","star\n\n${line('c')}\n${line('d').slice(0, 30)}`);
    const read = readHistory(file);
    expect(read.lines.map((l) => l.id)).toEqual(['a', 'c']);
    expect(read.unreadableLines).toEqual([2, 5]);
    expect(() => assertHistoryReadable(file, read.unreadableLines)).toThrow(
      expect.objectContaining({
        code: 'INPUT',
        file,
        message: expect.stringContaining(`${file}: line 2, 5 are not a readable history line`),
        fix: expect.stringContaining(`sed -i '2d' ${file}`),
      }),
    );
    expect(() => assertHistoryReadable(file, [])).not.toThrow();
  });
});
