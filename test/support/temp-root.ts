// Global setup of both test projects: every temp folder a test makes (os.tmpdir(), in the test process, in the CLI
// processes it starts and in their vitest workers) is made under one folder of this run, removed when the run ends.
// The run fails if a test left a folder of its own there (`kc-…`: tests make theirs with temp-folder.ts, which removes
// them) or wrote into the repository's reports/ (runs in tests pass --report-dir and --history under a temp folder).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VAR = 'KC_TEST_TEMP_ROOT';
const REPORTS = fileURLToPath(new URL('../../reports/', import.meta.url));

/** The repository's reports/: each entry with its size, files only (a history line appended shows as growth). */
function reportsNow(): Map<string, number> {
  const entries = new Map<string, number>();
  if (!existsSync(REPORTS)) return entries; // a fresh clone has none (reports/ is git-ignored)
  for (const e of readdirSync(REPORTS, { withFileTypes: true }))
    entries.set(e.name, e.isFile() ? statSync(join(REPORTS, e.name)).size : 0);
  return entries;
}

const SOURCES = ['specs', 'fixtures/providers'].map((d) => fileURLToPath(new URL(`../../${d}/`, import.meta.url)));

/** One digest of every file under the repository's specs/ and fixtures/providers/ (tests edit copies, never these). */
function sourcesDigest(): string {
  const hash = createHash('sha256');
  for (const root of SOURCES)
    for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' }).sort()) {
      const path = join(root, name);
      if (statSync(path).isFile()) hash.update(name).update(readFileSync(path));
    }
  return hash.digest('hex');
}

/** What a test run added to reports/ (new entries, files that grew), and the `kc-` folders left in the temp root. */
export function leftBehind(before: Map<string, number>, after: Map<string, number>, tempEntries: string[]): string[] {
  const written = [...after].filter(([name, size]) => !before.has(name) || before.get(name)! < size);
  return [
    ...written.map(([name]) => `reports/${name} (a test wrote into the repository's reports/)`),
    ...tempEntries.filter((n) => n.startsWith('kc-')).map((n) => `${n} (a temp folder no test removed)`),
  ];
}

export default function setup(): () => void {
  // both projects (unit, e2e) run this in one process: the first makes the folder, the last removes it
  const root = process.env[VAR] ?? mkdtempSync(join(tmpdir(), 'kc-tests-'));
  const made = !process.env[VAR];
  process.env[VAR] = root;
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  const reportsBefore = reportsNow();
  const sourcesBefore = sourcesDigest();
  return () => {
    if (!made) return;
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    delete process.env[VAR];
    const left = leftBehind(reportsBefore, reportsNow(), readdirSync(root));
    if (sourcesDigest() !== sourcesBefore)
      left.push("specs/ or fixtures/providers/ (a test edited the repository's specs)");
    rmSync(root, { recursive: true, force: true });
    if (!left.length) return;
    // vitest reports an error thrown here but still exits 0: the exit code says it
    process.stderr.write(`\nthe tests left files behind:\n  ${left.join('\n  ')}\n`);
    process.exitCode = 1;
  };
}
