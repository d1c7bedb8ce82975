import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendLineAtomic } from './atomic-write.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';

describe('appendLineAtomic', () => {
  it('starts a new line after a torn tail (a writer killed mid-write), so the next line is never glued to it', () => {
    const file = join(tempFolder('kc-append-'), 'h.jsonl');
    writeFileSync(file, '{"id":"a"}\n{"id":"torn-by-a-kil');
    appendLineAtomic(file, '{"id":"b"}');
    appendLineAtomic(file, '{"id":"c"}');
    expect(readFileSync(file, 'utf8')).toBe('{"id":"a"}\n{"id":"torn-by-a-kil\n{"id":"b"}\n{"id":"c"}\n');
  });
});
