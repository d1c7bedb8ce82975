// The live link re-fetch judged alone: alive when re-fetched late passes, dead before the documented lifetime fails,
// re-fetched too soon is a skip with the reason, never re-fetched is an error.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpecById } from '../../spec/load-spec.ts';
import type { ProviderSpec } from '../../spec/model.ts';
import type { LinkRefetch } from '../probes/link-refetch.ts';
import type { TaskObservation } from '../probes/task-probe.ts';
import { evaluateLinkRefetch } from './link-refetch.ts';

let spec: ProviderSpec;
beforeAll(async () => {
  spec = await loadSpecById('evolink-kling-v3-t2v');
});
const task = { create: { method: 'POST', url: 'u', headers: {}, retries: 0 }, polls: [] } as unknown as TaskObservation;
const refetched = (status: number | undefined, afterSeconds: number, note?: string): LinkRefetch => ({
  task,
  recheckSeconds: 120,
  refetch: { method: 'GET', url: 'https://cdn.example/v.mp4', status, afterSeconds },
  ...(note ? { note } : {}),
});

describe('lifecycle.link_refetch, evaluated', () => {
  it.each([
    ['alive 120 s after, within 24 h', 'pass', refetched(200, 120)],
    ['dead 120 s after, documented 24 h', 'fail', refetched(403, 120)],
    ['alive, but only 5 s after (the run was short)', 'skip', refetched(200, 5, 'no room')],
    ['expired after its documented lifetime', 'pass', refetched(403, 86_401)],
    ['never fetched again', 'error', { task, recheckSeconds: 120, note: 'no downloaded result' }],
    ['no answer to the re-fetch', 'error', refetched(undefined, 120)],
  ] as [string, string, LinkRefetch][])('%s: %s', (_name, status, obs) => {
    const v = evaluateLinkRefetch(spec, obs);
    expect(v.status, v.message).toBe(status);
    if (status === 'fail') expect(v.findings![0]!.expected).toBe(86_400);
  });
});
