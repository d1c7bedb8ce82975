// Results written by `proxy` and `verify-client` record the spec they were judged against (version and digest), as
// `run`'s do: `drift --between` then says whether the documents changed between two sessions, not "not known".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunComparison } from '../src/drift/run-changes.ts';
import { proxyResults } from '../src/proxy/proxy-results.ts';
import type { RunningProxy } from '../src/proxy/proxy-server.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { specRecord } from '../src/spec/spec-record.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { runCli } from './run-cli.ts';
import { tempFolder } from './support/temp-folder.ts';

const P = 'toapis-kling-3.0-turbo';
const HAR = 'fixtures/clients/har/mitmproxy-trimmed.har';
let spec: ProviderSpec;

/** The same spec with its documents edited (another info.version): another digest. */
const edited = (s: ProviderSpec): ProviderSpec => ({
  ...s,
  raw: { ...s.raw, info: { ...(s.raw.info as object), version: 'edited-for-the-test' } },
});

/** A proxy session that saw nothing: only what proxyResults reads of it. */
const idleProxy = {
  counts: { forwarded: 0, rejectedLocally: 0, tasksCreated: 0, mayHaveCreated: {} },
  findings: { results: () => [] },
  entryIndex: () => undefined,
} as unknown as RunningProxy;

beforeAll(async () => {
  spec = await loadSpecById(P);
});

describe('the spec proxy and verify-client results were judged against', () => {
  it('verify-client records it per provider', () => {
    const r = verifyClient(spec, [HAR], false);
    expect(r.run.providers).toEqual([expect.objectContaining({ id: P, spec: specRecord(spec) })]);
  });

  it('proxy records it per provider', () => {
    const r = proxyResults(spec, idleProxy, 'https://gateway.example', new Date().toISOString());
    expect(r.run.providers).toEqual([expect.objectContaining({ id: P, spec: specRecord(spec) })]);
  });

  it('drift --between says the spec changed between two verify-client sessions, and two proxy sessions', async () => {
    const dir = tempFolder('kc-observer-spec-');
    const pairs = {
      'verify-client': [verifyClient(spec, [HAR], false), verifyClient(edited(spec), [HAR], false)],
      proxy: [spec, edited(spec)].map((s) =>
        proxyResults(s, idleProxy, 'https://gateway.example', '2026-12-01T00:00:00Z'),
      ),
    };
    for (const [name, [before, after]] of Object.entries(pairs)) {
      const [b, a] = [join(dir, `${name}-before.json`), join(dir, `${name}-after.json`)];
      writeFileSync(b, JSON.stringify(before));
      writeFileSync(a, JSON.stringify(after));
      const r = await runCli(['drift', '--between', b, a, '--format', 'json']);
      expect([0, 1], r.stderr).toContain(r.code);
      const notes = (JSON.parse(r.stdout) as RunComparison).notes;
      expect(notes, name).toContainEqual(expect.stringContaining(`the spec of ${P} differs between the runs`));
      expect(notes.join('\n'), name).not.toContain('does not record which spec');
    }
  }, 120_000);
});
