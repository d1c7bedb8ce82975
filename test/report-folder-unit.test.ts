// The report folder is written as one unit: a writer killed with SIGKILL at any moment of writing run after run into
// the same --report-dir leaves that folder holding exactly one run's files (never a mix of runs, never a temp
// file), the other files in it (a live run's ledger) intact, and every finished history line whole.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverFolder } from '../src/core/atomic-dir.ts';
import { readHistory } from '../src/report/history-line.ts';
import { REPORT_FILES } from '../src/report/write-report.ts';
import { tempFolder } from './support/temp-folder.ts';

const KEY = 'sk-folder-canary-8c2e4a6f1b3d5e7a9c0b';
const TRIALS = 8;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a writer of run after run into `dir`; resolves once its first run is complete (report and history line). */
async function startWriter(dir: string, root: string) {
  const p = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/report-writer-child.ts', dir, root, KEY, 'runs'],
    { stdio: 'ignore' },
  );
  for (let waited = 0; waited < 60_000 && !existsSync(join(root, 'history.jsonl')); waited += 50) await sleep(50);
  return p;
}
const killed = (p: ReturnType<typeof spawn>) =>
  new Promise((r) => {
    if (p.exitCode !== null || p.signalCode) return r(null);
    p.once('exit', r);
    p.kill('SIGKILL');
  });

describe('the report folder is written as one unit', () => {
  it(`kill -9 in report writing (${TRIALS} trials): one run's files, no temp file, whole history lines`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const root = tempFolder('kc-unit-');
      const dir = join(root, 'report');
      mkdirSync(dir, { recursive: true });
      // a live run's spend ledger sits beside its reports; replacing the reports must keep it
      writeFileSync(join(dir, 'ledger.jsonl'), '{"kind":"hold"}\n');
      const writer = await startWriter(dir, root);
      await sleep((trial * 83) % 500);
      await killed(writer);
      // (a kill between the two renames of a replacement leaves the folder absent for an instant, the complete new
      // set beside it: the next writer, or any reader, finishes the rename)
      recoverFolder(dir);
      expect(readdirSync(dir).sort()).toEqual([...REPORT_FILES, 'ledger.jsonl'].sort());
      expect(readFileSync(join(dir, 'ledger.jsonl'), 'utf8')).toBe('{"kind":"hold"}\n');
      const runs = new Set<string>();
      for (const file of REPORT_FILES) {
        const text = readFileSync(join(dir, file), 'utf8');
        expect(text.includes(KEY), `${file} holds the key`).toBe(false);
        for (const m of text.matchAll(/run-\d+/g)) runs.add(m[0]);
      }
      expect([...runs], `trial ${trial}: the files of one run`).toHaveLength(1);
      expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')).run.id).toBe([...runs][0]);
      // nothing left beside the folder once a writer has looked (recoverFolder runs before every write)
      expect(readdirSync(root).sort()).toEqual(['history.jsonl', 'report']);
      // a writer killed inside its own append may leave that one line unfinished (readers skip it); every line
      // before it is whole, and the next append starts on a line of its own
      const history = readFileSync(join(root, 'history.jsonl'), 'utf8');
      for (const line of history.split('\n').slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
      expect(readHistory(join(root, 'history.jsonl')).unreadable).toBeLessThanOrEqual(1);
      expect(history.includes(KEY)).toBe(false);
    }
  }, 240_000);
});
