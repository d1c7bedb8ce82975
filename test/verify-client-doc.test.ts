// docs/verify-client.md tells users how to point the fixture clients at another provider: every variable the clients
// read and every one `clientProfile` derives from a spec is in its table, and the ToAPIs example is what the tests use.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAllSpecs } from '../src/spec/load-spec.ts';
import { CLIENT_ENV, clientProfile } from './support/client-session.ts';

const doc = readFileSync('docs/verify-client.md', 'utf8');
const table = doc.slice(doc.indexOf('## Running the fixture clients against another provider'));
const documented = new Set(table.match(/KC_[A-Z_]+/g) ?? []);

describe('docs/verify-client.md: the fixture clients on another provider', () => {
  it('lists every variable the Python fixture clients read', () => {
    const dir = 'fixtures/clients/python';
    const read = readdirSync(dir)
      .filter((f) => f.endsWith('.py'))
      .flatMap((f) => readFileSync(`${dir}/${f}`, 'utf8').match(/KC_[A-Z_]+/g) ?? []);
    expect(read.length).toBeGreaterThan(0);
    expect([...new Set(read)].filter((v) => !documented.has(v))).toEqual([]);
  });

  it('lists every variable clientProfile sets for a provider', async () => {
    const set = new Set((await loadAllSpecs()).flatMap((spec) => Object.keys(clientProfile(spec))));
    expect([...set].filter((v) => !documented.has(v))).toEqual([]);
  });

  it("gives ToAPIs' values as the tests run the clients with them", () => {
    for (const [name, value] of Object.entries(CLIENT_ENV['toapis-kling-3.0-turbo']!))
      expect(doc).toContain(value.includes('{') ? `${name}='${value}'` : `${name}=${value}`);
  });
});
