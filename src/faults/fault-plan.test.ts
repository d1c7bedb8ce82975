import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecById } from '../spec/load-spec.ts';
import { documentedPlan, FaultBook, loadFaultPlan } from './fault-plan.ts';
import { tempFolder } from '../../test/support/temp-folder.ts';

describe('fault plans', () => {
  it('derives the documented plan from the spec: Retry-After only where the provider documents it', async () => {
    const toapis = documentedPlan(await loadSpecById('toapis-kling-3.0-turbo'), 1);
    expect(toapis.faults.map((f) => `${f.operation}#${f.at} ${f.step}`)).toEqual([
      'create#1 429:1',
      'poll#2 429:1',
      // ToAPIs prescribes jitter: two polls rate limited without Retry-After, two backoff waits to compare
      'poll#4 429',
      'poll#6 429',
      'create#3 commit-500',
      'create#4 fail',
      'create#5 expired-link',
    ]);
    const aimanyi = documentedPlan(await loadSpecById('aimanyi-kling-3.0-turbo'), 2);
    expect(aimanyi.faults.find((f) => f.id === 'create-429')?.step).toBe('429');
    // jitter there is our reading, not the documents': no fault to judge it with
    expect(aimanyi.faults.filter((f) => f.id.startsWith('poll-429-backoff'))).toEqual([]);
    // the seed picks which poll is rate limited
    expect(aimanyi.faults.find((f) => f.id === 'poll-429')?.at).toBe(1);
  });

  it('counts per client: parallel workers each meet their own faults', async () => {
    const book = new FaultBook(documentedPlan(await loadSpecById('toapis-kling-3.0-turbo'), 1));
    expect(book.next('worker-a', 'create')?.id).toBe('create-429');
    expect(book.next('worker-b', 'create')?.id).toBe('create-429');
    expect(book.next('worker-a', 'create')).toBeUndefined();
    expect(book.next('worker-a', 'create')?.id).toBe('create-500-committed');
  });

  it('reads a plan file, and names the file and field of a mistake', async () => {
    const spec = await loadSpecById('toapis-kling-3.0-turbo');
    const dir = tempFolder('kc-plan-');
    const good = join(dir, 'plan.yaml');
    writeFileSync(good, 'seed: 7\nfaults:\n  - { operation: poll, at: 2, step: "500" }\n');
    expect(loadFaultPlan(good, spec, 1)).toMatchObject({ seed: 7, faults: [{ id: 'poll-2', step: '500' }] });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ faults: [{ operation: 'download', at: 1, step: 'ok' }] }));
    expect(() => loadFaultPlan(bad, spec, 1)).toThrow(
      expect.objectContaining({ pointer: '/faults/0/operation', file: bad }),
    );
    expect(() => loadFaultPlan(join(dir, 'absent.yaml'), spec, 1)).toThrow(/no such plan or file/);
  });
});
