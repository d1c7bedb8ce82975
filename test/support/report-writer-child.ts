// Child process for test/kill-safety.test.ts: writes reports (with a canary key echoed inside them) and history
// lines in a loop until it is killed with SIGKILL.
import { registerSecret } from '../../src/core/redact.ts';
import { writeReport } from '../../src/report/write-report.ts';
import { appendHistory } from '../../src/report/append-history.ts';
import { buildResults } from '../../src/report/build-results.ts';

const [dir, root, key, mode] = process.argv.slice(2) as [string, string, string, string];
registerSecret(key);
const results = buildResults(
  {
    id: 'kill-test',
    target: 'live',
    providers: [{ id: 'p', baseUrl: 'http://x' }],
    seed: 1,
    startedAt: new Date().toISOString(),
    endedAt: new Date().toISOString(),
    allowPaid: false,
    client: 'reference',
  },
  Array.from({ length: 400 }, (_, i) => ({
    id: `c${i}`,
    provider: 'p',
    title: 't',
    family: 'reject',
    paid: false,
    durationMs: 1,
    status: i % 3 ? 'pass' : 'fail',
    message: `the gateway echoed ${key} and ${Buffer.from(key).toString('base64')}`,
    observed: { echoed: key, pad: 'x'.repeat(2000) },
  })),
  '0',
);
const text = JSON.stringify(results);
for (let i = 0; ; i++) {
  if (mode === 'reports') writeReport(dir, results);
  else if (mode === 'history') appendHistory(`${root}/history.jsonl`, results, `${dir}/${i}`);
  else {
    // 'runs': one run after another into the same report folder (each named by its id), as `run` does
    const run = JSON.parse(text.replaceAll('kill-test', `run-${i}`)) as typeof results;
    writeReport(dir, run);
    appendHistory(`${root}/history.jsonl`, run, dir);
  }
}
