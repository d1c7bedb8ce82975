// verify-client on recordings of a real (in-process) mock run: two clients in one HAR, each finding naming the client
// whose traffic it is about; a HAR of another provider (ours or another tool's) refused as not this provider's; a HAR
// with foreign entries judged on the provider's part, the rest counted; the reports labelled as a recording's.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAjv } from '../src/core/ajv.ts';
import { systemClock } from '../src/core/clock.ts';
import { HarnessError } from '../src/core/errors.ts';
import { getAt } from '../src/core/json-pointer.ts';
import type { Har } from '../src/har/har-types.ts';
import { startMocks, stopMocks } from '../src/mock/start-mocks.ts';
import { writeReport } from '../src/report/write-report.ts';
import { loadAllSpecs, loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { runCli } from './run-cli.ts';
import { clientProfile } from './support/client-session.ts';
import { tempFolder } from './support/temp-folder.ts';

const require = createRequire(import.meta.url);
const resultsSchema = require('../src/report/results.schema.json') as object;

const EVOLINK = 'evolink-kling-v3-t2v';
const TOAPIS = 'toapis-kling-3.0-turbo';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A small client in this process (global fetch, real waits) told the provider's API from its spec: one create, retried
 * after a 429 (after the Retry-After when `honoursRetryAfter`, else at once), then polled a second apart to its end.
 * `ready`: resolves once its first answer came (the other client starts then, between this one's 429 and its retry).
 */
async function worker(base: string, spec: ProviderSpec, clientId: string, honoursRetryAfter: boolean) {
  const p = clientProfile(spec);
  const headers = {
    [p.KC_AUTH_HEADER!]: `${p.KC_AUTH_PREFIX}sk-two-clients-0001`,
    'content-type': 'application/json',
    'x-client-id': clientId,
  };
  const body = JSON.stringify((JSON.parse(p.KC_CREATE_BODIES!) as unknown[])[0]);
  const create = () => fetch(`${base}${p.KC_CREATE_PATH}`, { method: 'POST', headers, body });
  let answer = await create();
  let firstAnswered!: () => void;
  const ready = new Promise<void>((r) => (firstAnswered = r));
  const done = (async () => {
    while (answer.status === 429) {
      await answer.text();
      firstAnswered();
      if (honoursRetryAfter) await sleep(Number(answer.headers.get('retry-after') ?? '1') * 1000);
      answer = await create();
    }
    firstAnswered();
    const created = await answer.json();
    const id = p
      .KC_ID_POINTERS!.split(',')
      .map((at) => getAt(created, at))
      .find(Boolean) as string;
    const terminal = p.KC_TERMINAL!.split(',');
    for (let polls = 0; polls < 5; polls++) {
      await sleep(1050);
      const polled = await (await fetch(`${base}${p.KC_POLL_PATH!.replace('{id}', id)}`, { headers })).json();
      if (terminal.includes(String(getAt(polled, p.KC_STATUS_POINTERS!.split(',')[0]!)))) return;
    }
  })();
  return { ready, done };
}

/**
 * Two clients of one key on the EvoLink mock, each met with a 429 (Retry-After: 1) on its first create: `worker-a`
 * waits the second it was asked to; `worker-b` sends its first create right after worker-a's 429 (the same body) and
 * retries its own 429 at once. Judged as one client, worker-b's create would look like worker-a's retry without a wait.
 */
async function recordTwoClients(): Promise<string> {
  const spec = await loadSpecById(EVOLINK);
  const har = join(tempFolder('kc-two-clients-'), 'two-clients.har');
  const plan = {
    name: 'first-create-429',
    seed: 1,
    faults: [{ id: 'create-429', operation: 'create' as const, at: 1, step: '429:1' }],
  };
  const [mock] = await startMocks([spec], {
    clock: systemClock,
    completeAfterPolls: 2,
    record: { file: har },
    faults: plan,
  });
  try {
    const a = await worker(mock!.url, spec, 'worker-a', true);
    await a.ready;
    const b = await worker(mock!.url, spec, 'worker-b', false);
    await Promise.all([a.done, b.done]);
  } finally {
    await stopMocks([mock!]);
  }
  return har;
}

/**
 * The recording as another tool would have exported it: no `_kc` notes; `oneClient`: no x-client-id either (the two
 * workers are then one client, their key's).
 */
function asForeignExport(har: string, name: string, extra: Har['log']['entries'] = [], oneClient = false): string {
  const doc = JSON.parse(readFileSync(har, 'utf8')) as Har;
  delete doc.log._kc;
  for (const e of doc.log.entries) {
    delete e._kc;
    if (oneClient) e.request.headers = e.request.headers.filter((h) => h.name.toLowerCase() !== 'x-client-id');
  }
  doc.log.entries.push(...extra);
  const file = join(tempFolder('kc-foreign-'), name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

/** An entry of a browser's export that is no gateway call (a page asset). */
const pageAsset = (url: string, at: string): Har['log']['entries'][number] => ({
  startedDateTime: at,
  time: 3,
  request: {
    method: 'GET',
    url,
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: [],
    queryString: [],
    headersSize: -1,
    bodySize: 0,
  },
  response: {
    status: 200,
    statusText: 'OK',
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: [],
    content: { size: 0, mimeType: 'image/png' },
    redirectURL: '',
    headersSize: -1,
    bodySize: 0,
  },
  cache: {},
  timings: { send: 0, wait: 3, receive: 0 },
});

const refusal = (judge: () => unknown): HarnessError => {
  try {
    judge();
  } catch (err) {
    if (err instanceof HarnessError) return err;
    throw err;
  }
  throw new Error('judged it');
};

describe('verify-client on a recorded two-client session', () => {
  let har: string;
  let specs: ProviderSpec[];
  let evolink: ProviderSpec;
  beforeAll(async () => {
    [har, specs, evolink] = await Promise.all([recordTwoClients(), loadAllSpecs(), loadSpecById(EVOLINK)]);
  }, 60_000);

  it('judges each client on its own traffic; the finding names the client that misbehaved, in every report', () => {
    const results = verifyClient(evolink, [har], true, specs);
    const wait = results.results.find((r) => r.id === 'traffic.wait_after_429')!;
    expect(wait.status, wait.message).toBe('fail');
    // worker-a waited its second; only worker-b's retry at once is a finding, and it says whose it is
    expect(wait.findings?.map((f) => f.client)).toEqual(['worker-b']);
    expect(wait.message).toMatch(/^client worker-b: request #\d+ .* came 0\.\d+ s after a 429/);
    expect(results.run.subject).toMatchObject({ kind: 'verify-client', clients: ['worker-a', 'worker-b'] });
    expect(createAjv().compile(resultsSchema)(results)).toBe(true);

    const dir = tempFolder('kc-two-clients-report-');
    writeReport(dir, results);
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    for (const file of ['results.json', 'junit.xml', 'summary.md', 'report.html'])
      expect(read(file), file).toMatch(/client worker-b: request #\d+/);
    // labelled as what it is: a recording of two clients, not a conformance run with a seed
    const summary = read('summary.md');
    expect(summary).toContain(`# kling-conformance: verify-client ${har}`);
    expect(summary).toMatch(
      /provider evolink-kling-v3-t2v · \d+ exchanges · clients worker-a, worker-b · mock traffic/,
    );
    expect(summary).not.toMatch(/seed 0|mock run/);
    expect(read('report.html')).toContain('clients worker-a, worker-b');
    expect(read('junit.xml')).toContain(`testsuites name="kling-conformance verify-client ${har}"`);
  });

  it('would judge worker-b against worker-a’s 429 as one client: the per-client judging is what keeps it apart', () => {
    // the same traffic with nothing telling the clients apart (one key): worker-a's 429 is now followed at once by
    // worker-b's create of the same body, a retry without the owed wait
    const merged = verifyClient(evolink, [asForeignExport(har, 'one-client.har', [], true)], true, specs);
    const wait = merged.results.find((r) => r.id === 'traffic.wait_after_429')!;
    expect(wait.status).toBe('fail');
    expect(wait.findings?.length).toBeGreaterThan(1);
    expect(new Set(wait.findings?.map((f) => f.client)).size).toBe(1);
  });

  it('refuses our EvoLink recording as ToAPIs traffic, naming the provider it was recorded against', () => {
    const err = refusal(() => verifyClient(specs.find((s) => s.id === TOAPIS)!, [har], false, specs));
    expect(err.code).toBe('WRONG_PROVIDER');
    expect(err.file).toBe(har);
    expect(err.pointer).toBe('/log/_kc/provider');
    expect(err.message).toContain(`recorded against ${EVOLINK}`);
    expect(err.fix).toContain(`--provider ${EVOLINK}`);
  });

  it('refuses another tool’s export of EvoLink traffic as ToAPIs’: it fits EvoLink’s documented operations', () => {
    const foreign = asForeignExport(har, 'export.har');
    const err = refusal(() => verifyClient(specs.find((s) => s.id === TOAPIS)!, [foreign], false, specs));
    expect(err.code).toBe('WRONG_PROVIDER');
    expect(err.message).toMatch(new RegExp(`looks like ${EVOLINK}'s traffic: \\d+ of its \\d+ entries fit`));
    expect(err.fix).toContain(`--provider ${EVOLINK}`);
  });

  it('judges the provider’s part of a HAR with foreign entries, and says how many were left out and why', async () => {
    const mixed = asForeignExport(har, 'mixed.har', [
      pageAsset('https://app.example.org/favicon.ico', '2026-01-01T00:00:00.000Z'),
      pageAsset('https://app.example.org/logo.png', '2026-01-01T00:00:00.100Z'),
    ]);
    const results = verifyClient(evolink, [mixed], true, specs);
    expect(results.run.subject).toMatchObject({ leftOut: { entries: 2 } });
    const subject = results.run.subject as { leftOut: { why: string }; exchanges: number };
    expect(subject.leftOut.why).toMatch(/2 of \d+ entries fit none of evolink-kling-v3-t2v's documented operations/);
    expect(subject.leftOut.why).toContain('app.example.org');
    const dir = tempFolder('kc-mixed-');
    const [cli, refused] = await Promise.all([
      runCli(['verify-client', '--provider', EVOLINK, '--har', mixed, '--report-dir', dir, '--strict']),
      runCli(['verify-client', '--provider', TOAPIS, '--har', har, '--report-dir', join(dir, 'toapis')]),
    ]);
    // worker-b's retry at once fails: exit 1; the left-out entries are said on stderr and in the report
    expect(cli.code, cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(/left out of the judging: 2 of \d+ entries/);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/Left out of the judging: 2 of \d+ entries/);
    // another tool's export is live traffic, but judging it created no task
    expect(summary).not.toContain('Billable tasks');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`WRONG_PROVIDER ${har}`);
    expect(refused.stderr).toContain(`recorded against ${EVOLINK}`);
  }, 60_000);
});
