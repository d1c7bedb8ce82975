// NEWCOMER #13, end to end: a recording mock writes each key's fingerprint as an HMAC under its process's secret salt
// (never sha256(key), never the salt), names the salt in log._kc.fingerprints, and verify-client says so when the
// files it judges together were fingerprinted under different salts (a key in two of them would be two keys).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientOf, fingerprintSaltId } from '../src/har/client-id.ts';
import type { Har } from '../src/har/har-types.ts';
import { startMocks, stopMocks } from '../src/mock/start-mocks.ts';
import { renderSummary } from '../src/report/summary-markdown.ts';
import { loadSpecById } from '../src/spec/load-spec.ts';
import type { ProviderSpec } from '../src/spec/model.ts';
import { verifyClient } from '../src/traffic/verify-client.ts';
import { clientProfile } from './support/client-session.ts';
import { tempFolder } from './support/temp-folder.ts';

const EVOLINK = 'evolink-kling-v3-t2v';
const KEYS = ['sk-fingerprint-key-0001', 'sk-fingerprint-key-0002'];
const unsalted = (key: string) => `key-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

/** Two creates with the first key, one with the second, none naming its client: the keys are the clients. */
async function record(spec: ProviderSpec): Promise<string> {
  const har = join(tempFolder('kc-fingerprints-'), 's.har');
  const p = clientProfile(spec);
  const body = JSON.stringify((JSON.parse(p.KC_CREATE_BODIES!) as unknown[])[0]);
  const [mock] = await startMocks([spec], { record: { file: har } });
  try {
    for (const key of [KEYS[0]!, KEYS[0]!, KEYS[1]!]) {
      const headers = { [p.KC_AUTH_HEADER!]: `${p.KC_AUTH_PREFIX}${key}`, 'content-type': 'application/json' };
      await (await fetch(`${mock!.url}${p.KC_CREATE_PATH}`, { method: 'POST', headers, body })).text();
    }
  } finally {
    await stopMocks([mock!]);
  }
  return har;
}

describe('key fingerprints in a recording', () => {
  let spec: ProviderSpec;
  let har: string;
  beforeAll(async () => {
    spec = await loadSpecById(EVOLINK);
    har = await record(spec);
  }, 60_000);

  it('are salted HMACs: one key one client, nothing to check a guessed key against, the salt named not written', () => {
    const text = readFileSync(har, 'utf8');
    const doc = JSON.parse(text) as Har;
    expect(doc.log._kc?.fingerprints).toBe(fingerprintSaltId());
    const keys = doc.log.entries.map((e) => e._kc?.key);
    expect(keys).toEqual([clientOf(undefined, KEYS[0]), clientOf(undefined, KEYS[0]), clientOf(undefined, KEYS[1])]);
    expect(doc.log.entries.map((e) => e._kc?.client)).toEqual(keys);
    expect(keys[0]).not.toBe(keys[2]);
    for (const key of KEYS) expect(text).not.toContain(unsalted(key));
    const judged = verifyClient(spec, [har], false);
    expect(judged.run.subject).toMatchObject({ clients: [...new Set(keys)] });
    expect(judged.run.subject).not.toHaveProperty('fingerprints');
  });

  it('verify-client says when the files it judges together were fingerprinted under different salts', () => {
    const doc = JSON.parse(readFileSync(har, 'utf8')) as Har;
    doc.log._kc!.fingerprints = 'salt-0123456789ab';
    const other = join(tempFolder('kc-fingerprints-other-'), 'other.har');
    writeFileSync(other, JSON.stringify(doc));
    const judged = verifyClient(spec, [har, other], false);
    const subject = judged.run.subject as { fingerprints?: string };
    expect(subject.fingerprints).toMatch(/different salts: a key in two of them counts as two keys/);
    expect(subject.fingerprints).toContain(other);
    expect(renderSummary(judged)).toContain('Key fingerprints: the key fingerprints of');
  });
});
