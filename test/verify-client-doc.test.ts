// docs/verify-client.md tells users how to point the fixture clients at another provider: every variable the clients
// read and every one `clientProfile` derives from a spec is in its table, and the ToAPIs example is what the tests use.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_OPERATIONS, loadFaultPlan } from '../src/faults/fault-plan.ts';
import { parseScenario } from '../src/mock/scenarios.ts';
import { loadAllSpecs, loadSpecById } from '../src/spec/load-spec.ts';
import { CLIENT_ENV, clientProfile } from './support/client-session.ts';
import { tempFolder } from './support/temp-folder.ts';

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

// NEWCOMER-7 F6: the plan file format is written out, and its example is what the real parser reads
describe('docs/verify-client.md: fault plan files', () => {
  const section = doc.slice(doc.indexOf('## Fault plan files'), doc.indexOf('## Running the fixture clients'));
  const example = /<!-- fault-plan-example[^>]*-->\n```yaml\n([\s\S]*?)```/.exec(section)?.[1];

  it('has an example plan the real plan parser reads, each step one the mock knows, with a 400', async () => {
    expect(example).toBeDefined();
    const file = join(tempFolder('kc-plan-doc-'), 'plan.yaml');
    writeFileSync(file, example!);
    const plan = loadFaultPlan(file, await loadSpecById('evolink-kling-v3-t2v'), 99);
    expect(plan.seed).toBe(1);
    expect(plan.faults.length).toBeGreaterThanOrEqual(3);
    for (const f of plan.faults) expect(parseScenario(f.step), f.step).toHaveLength(1);
    expect(plan.faults[0]).toMatchObject({ id: 'create-400', operation: 'create', at: 1, step: '400' });
    // the file the docs and the skip reason name holds the example's first fault
    const shipped = loadFaultPlan(
      'fixtures/clients/plans/create-400.yaml',
      await loadSpecById('evolink-kling-v3-t2v'),
      1,
    );
    expect(shipped.faults).toEqual([{ ...plan.faults[0], why: shipped.faults[0]!.why }]);
  });

  it('lists every field a plan has, and every operation', () => {
    for (const field of ['seed', 'faults', 'faults[].operation', 'faults[].at', 'faults[].step', 'faults[].id'])
      expect(section).toContain(`| \`${field}\` |`);
    expect(section).toContain('| `faults[].why` |');
    for (const op of FAULT_OPERATIONS) expect(section).toContain(`\`${op}\``);
  });
});
