import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';
import { readTraffic } from './read-traffic.ts';

const AUTH = { header: 'authorization', prefix: 'Bearer ' };

function errorOf(files: string[]): HarnessError {
  try {
    readTraffic(files, AUTH);
  } catch (err) {
    if (err instanceof HarnessError) return err;
    throw err;
  }
  throw new Error('readTraffic accepted it');
}

describe('readTraffic on input that is not a HAR', () => {
  it('names a directory as the file and says to pass the files in it', () => {
    const dir = join(tempFolder('kc-read-traffic-'), 'recordings');
    mkdirSync(dir);
    const err = errorOf([dir]);
    expect(err.code).toBe('INPUT');
    expect(err.file).toBe(dir);
    expect(err.message).toMatch(/is a directory/);
    expect(err.fix).toMatch(/HAR files themselves/);
  });

  it('reports text that does not parse at the file and its position, with no pointer', () => {
    const file = join(tempFolder('kc-read-traffic-'), 'corrupt.har');
    writeFileSync(file, '{"log": {"entries": [');
    const err = errorOf([file]);
    expect(err.file).toBe(file);
    expect(err.pointer).toBeUndefined();
    expect(err.message).toMatch(/not a HAR file: .*JSON/);
  });

  it('points at /log/entries when the JSON has no entries array', () => {
    const file = join(tempFolder('kc-read-traffic-'), 'empty.har');
    writeFileSync(file, '{"log": {}}');
    expect(errorOf([file]).pointer).toBe('/log/entries');
  });
});
